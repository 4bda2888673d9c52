// What a learner does in notebook 02: run the cells in order, press the stop button while the
// 20-D VAE trains, and use the model in the next cell. The model, declared a cell before the
// training cell, must still exist, hold finite weights that training changed, and no longer
// change (training must not go on in the background after the interrupt).
export const CHECK = `
const weightSum = (m: kit.VAE) => tf.tidy(() => tf.addN(m.encoder.getWeights().map((w) => w.sum())).dataSync()[0]);
const afterInterrupt = weightSum(vae20);
await new Promise((resolve) => setTimeout(resolve, 1500));
const finite = tf.tidy(() => tf.all(tf.isFinite(vae20.sample(4, 1))).dataSync()[0] === 1);
console.log(JSON.stringify({ finite, trained: afterInterrupt !== weightSum(untrained20), stopped: weightSum(vae20) === afterInterrupt }));
`;

/** The training cell of notebook 02 that the interrupt tests stop: the first code cell containing this. */
export const TRAINING_CELL = 'loadOrTrain("vae-20d"';
