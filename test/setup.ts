import * as tf from "@tensorflow/tfjs";

// Tests run on the cpu backend too, whose first use prints a banner recommending
// tfjs-node to every test file; the banner says nothing about the tests.
tf.env().set("PROD", true);
