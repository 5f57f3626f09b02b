package io.edgecam.face.scene;

/**
 * A face pasted into a scene: its ground-truth box in scene pixels.
 *
 * @param identity who it is
 * @param size the face box width it was pasted at, px (the size bucket)
 * @param x left edge
 * @param y top edge
 * @param width box width
 * @param height box height
 */
public record SceneFace(String identity, int size, float x, float y, float width, float height) {
  /** Intersection over union with the box {@code (bx, by, bw, bh)}. */
  public float iou(float bx, float by, float bw, float bh) {
    float ix = Math.min(x + width, bx + bw) - Math.max(x, bx);
    float iy = Math.min(y + height, by + bh) - Math.max(y, by);
    if (ix <= 0 || iy <= 0) {
      return 0;
    }
    float inter = ix * iy;
    return inter / (width * height + bw * bh - inter);
  }
}
