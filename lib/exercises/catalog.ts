import type { Exercise } from "./exercise";
import { EXERCISES_01 } from "./01-autoencoder";
import { EXERCISES_02 } from "./02-variational-autoencoder";
import { EXERCISES_03 } from "./03-elbo";
import { EXERCISES_04 } from "./04-kl-divergence";
import { EXERCISES_05 } from "./05-latent-space";
import { EXERCISES_06 } from "./06-beta-and-posterior-collapse";
import { EXERCISES_07 } from "./07-decoders-and-likelihoods";
import { EXERCISES_08 } from "./08-convolutional-and-conditional-vaes";

/**
 * Every exercise the kit ships, one file per notebook (`lib/exercises/NN-topic.ts`, next to
 * `solutions/NN-topic.ts`). A new notebook's file goes into this list.
 */
export const BUILT_IN: Exercise[] = [...EXERCISES_01, ...EXERCISES_02, ...EXERCISES_03, ...EXERCISES_04, ...EXERCISES_05, ...EXERCISES_06, ...EXERCISES_07, ...EXERCISES_08];
