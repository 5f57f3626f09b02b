package io.edgecam.face.pipeline;

/**
 * Which precision a pipeline runs and why, with the figures measured when choosing. Timings are
 * median raw {@code Invoke()} milliseconds; NaN when not measured.
 *
 * @param requested the configured precision
 * @param chosen float or int8
 * @param reason one sentence for status/doctor, e.g. why int8 was not used
 * @param detectorModel manifest name of the detector in use
 * @param embedderModel manifest name of the embedder in use
 * @param floatDetectorMs float detector invoke time
 * @param floatEmbedderMs float embedder invoke time
 * @param int8DetectorMs int8 detector invoke time
 * @param int8EmbedderMs int8 embedder invoke time
 * @param detectorAgreement IoU of int8 vs float best box on the golden image
 * @param embedderCosine cosine of int8 vs float embedding of the golden face
 */
public record PrecisionReport(
    Precision requested,
    Precision chosen,
    String reason,
    String detectorModel,
    String embedderModel,
    double floatDetectorMs,
    double floatEmbedderMs,
    double int8DetectorMs,
    double int8EmbedderMs,
    double detectorAgreement,
    double embedderCosine) {

  static PrecisionReport unmeasured(
      Precision requested,
      Precision chosen,
      String reason,
      String detectorModel,
      String embedderModel) {
    return new PrecisionReport(
        requested,
        chosen,
        reason,
        detectorModel,
        embedderModel,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }
}
