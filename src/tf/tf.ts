/**
 * The one tfjs import of Lepton. Every module imports tfjs through here so the
 * whole process shares one engine (one backend, one set of variables).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Scalar = tf.Scalar;
export type Variable = tf.Variable;
