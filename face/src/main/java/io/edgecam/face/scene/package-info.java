/**
 * Synthetic CCTV scenes for tests and benchmarks: real faces pasted at known sizes onto real
 * backgrounds, with ground-truth boxes. Nothing here runs on a device.
 */
package io.edgecam.face.scene;
