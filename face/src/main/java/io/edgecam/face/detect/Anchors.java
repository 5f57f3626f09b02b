package io.edgecam.face.detect;

import java.util.List;

/**
 * SSD anchors as BlazeFace uses them: one grid per layer ({@code inputSize / stride} cells a side),
 * {@code anchorsPerCell} anchors per cell with fixed size 1, centres at {@code ((col + 0.5) / grid,
 * (row + 0.5) / grid)}; ordered by layer, then row, then column, then anchor within the cell.
 */
final class Anchors {
  private Anchors() {}

  /** Anchor centres, normalised to 0..1, as {@code cx0, cy0, cx1, cy1, ...}. */
  static float[] centres(int inputSize, List<Integer> strides, List<Integer> anchorsPerCell) {
    int total = 0;
    for (int l = 0; l < strides.size(); l++) {
      int grid = inputSize / strides.get(l);
      total += grid * grid * anchorsPerCell.get(l);
    }
    float[] centres = new float[2 * total];
    int i = 0;
    for (int l = 0; l < strides.size(); l++) {
      int grid = inputSize / strides.get(l);
      for (int row = 0; row < grid; row++) {
        for (int col = 0; col < grid; col++) {
          for (int a = 0; a < anchorsPerCell.get(l); a++) {
            centres[i++] = (col + 0.5f) / grid;
            centres[i++] = (row + 0.5f) / grid;
          }
        }
      }
    }
    return centres;
  }
}
