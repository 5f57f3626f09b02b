package io.edgecam.face.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One input or output tensor as a manifest declares it.
 *
 * @param name informative name
 * @param shape dimensions, e.g. {@code [1, 128, 128, 3]}
 * @param dtype {@code float32}, {@code int8} or {@code uint8}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TensorSpec(String name, List<Integer> shape, String dtype) {
  public TensorSpec {
    if (shape == null || shape.isEmpty()) {
      throw new IllegalArgumentException("tensor " + name + ": shape must not be empty");
    }
    shape = List.copyOf(shape);
    dtype = dtype == null ? "float32" : dtype;
  }

  /** Number of elements. */
  public int elements() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
