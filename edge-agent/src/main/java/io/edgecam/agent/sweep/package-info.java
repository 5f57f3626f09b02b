/**
 * Which tiles of a large camera frame are searched in each frame: a full sweep every few frames,
 * the neighbourhoods of the faces just found every frame, tiles with motion in between, all within
 * a time budget.
 */
package io.edgecam.agent.sweep;
