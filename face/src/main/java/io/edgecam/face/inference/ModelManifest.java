package io.edgecam.face.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model manifest ({@code models/<name>.json}): where the model comes from, its sha256, and the
 * tensors and preprocessing it expects. Fields the agent does not use are kept as JSON.
 *
 * @param name model name, also the manifest's file name without {@code .json}
 * @param tag short name of an embedder's embedding space, sent in every candidate (shared by its
 *     float and int8 variants; docs/protocol.md), or null for {@code name@version}
 * @param kind {@code detector} or {@code embedder}
 * @param precision {@code float} or {@code int8}
 * @param file model file name; fetched models live in {@code cache/}, derived ones beside the
 *     manifest
 * @param source npm origin of a fetched model, or null for a derived model
 * @param derivedFrom what a derived (e.g. quantized) model was made from, or null
 * @param anchors SSD anchor layout of a detector, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(
    String name,
    String tag,
    String kind,
    String version,
    String precision,
    String file,
    JsonNode source,
    JsonNode derivedFrom,
    String sha256,
    long size,
    String license,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    String preprocessing,
    AnchorSpec anchors) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelManifest {
    require(name, "name");
    require(file, "file");
    require(sha256, "sha256");
    if (inputs == null || inputs.isEmpty() || outputs == null || outputs.isEmpty()) {
      throw new IllegalArgumentException(
          "manifest " + name + ": inputs and outputs must be listed");
    }
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    precision = precision == null ? "float" : precision;
  }

  /** SSD anchor layout: input size, one stride per layer and anchors per cell for each. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AnchorSpec(int inputSize, List<Integer> strides, List<Integer> anchorsPerCell) {
    public AnchorSpec {
      strides = List.copyOf(strides);
      anchorsPerCell = List.copyOf(anchorsPerCell);
      if (strides.size() != anchorsPerCell.size()) {
        throw new IllegalArgumentException("anchors: strides and anchorsPerCell differ in length");
      }
    }
  }

  /**
   * The tag candidates carry: {@link #tag()}, or {@code name@version} when the manifest has none.
   */
  public String wireTag() {
    return tag != null && !tag.isBlank() ? tag : name + "@" + version;
  }

  /**
   * Reads a manifest file.
   *
   * @throws ModelLoadException naming the file if it is missing, unreadable or not a manifest
   */
  public static ModelManifest read(Path json) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(json);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(json + ": no such model manifest", e);
    } catch (IOException e) {
      throw new ModelLoadException(json + ": cannot read model manifest: " + e.getMessage(), e);
    }
    return parse(bytes, json.toString());
  }

  /**
   * Parses manifest JSON; {@code name} is used in messages.
   *
   * @throws ModelLoadException naming {@code name} for anything that is not a valid manifest (the
   *     only exception it throws)
   */
  public static ModelManifest parse(byte[] json, String name) {
    try {
      ModelManifest m = JSON.readValue(json, ModelManifest.class);
      if (m == null) {
        throw new ModelLoadException(name + ": invalid model manifest: JSON null");
      }
      return m;
    } catch (IOException | IllegalArgumentException e) {
      throw new ModelLoadException(name + ": invalid model manifest: " + e.getMessage(), e);
    }
  }

  /** The name of the model this one was derived from ({@code derivedFrom.model}), or null. */
  public String derivedFromModel() {
    return derivedFrom == null || !derivedFrom.hasNonNull("model")
        ? null
        : derivedFrom.get("model").asText();
  }

  /** True for a model produced from another one (its file lives beside the manifest). */
  public boolean isDerived() {
    return source == null || source.isNull();
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("manifest: " + field + " must be set");
    }
  }
}
