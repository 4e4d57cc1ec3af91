package dev.ferry.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.ferry.InvalidInputException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.ScalarType;
import dev.ferry.types.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the artifact itself says about its inputs and outputs, read from the session, and the
 * default signature derived from it when the caller claims none.
 *
 * @param inputs  the graph inputs (initializers excluded) in graph order
 * @param outputs the outputs Ferry can return, in graph order
 * @param skipped outputs Ferry cannot represent (not requested from the runtime), name to kind
 */
record ArtifactSignature(List<TensorSpec> inputs, List<OutputPlan> outputs, Map<String, String> skipped) {

    static ArtifactSignature read(String artifact, OrtSession session) throws OrtException {
        List<TensorSpec> inputs = new ArrayList<>();
        for (NodeInfo n : session.getInputInfo().values()) {
            if (!(n.getInfo() instanceof TensorInfo ti) || OrtTensors.inputType(ti.onnxType).isEmpty()) {
                throw new InvalidInputException("model '" + artifact + "' has input '" + n.getName() + "' of type "
                        + describe(n.getInfo()) + " but Ferry feeds only tensors of bool, int32, int64, float, double or string");
            }
            inputs.add(new TensorSpec(n.getName(), OrtTensors.inputType(ti.onnxType).orElseThrow(), ti.getShape()));
        }
        List<OutputPlan> outputs = new ArrayList<>();
        Map<String, String> skipped = new java.util.LinkedHashMap<>();
        for (NodeInfo n : session.getOutputInfo().values()) {
            ValueInfo info = n.getInfo();
            if (info instanceof TensorInfo ti && OrtTensors.outputType(ti.onnxType).isPresent()) {
                outputs.add(OutputPlan.tensor(new TensorSpec(n.getName(), OrtTensors.outputType(ti.onnxType).orElseThrow(), ti.getShape())));
            } else if (isZipMap(info)) {
                outputs.add(new OutputPlan(TensorSpec.of(n.getName(), ScalarType.FLOAT32, -1, -1), true, List.of()));
            } else {
                skipped.put(n.getName(), describe(info));
            }
        }
        if (outputs.isEmpty()) {
            throw new InvalidInputException("model '" + artifact + "' has no output Ferry can return; its outputs are " + skipped);
        }
        return new ArtifactSignature(List.copyOf(inputs), List.copyOf(outputs), Map.copyOf(skipped));
    }

    /** A ZipMap output: a sequence of maps from int64 or string class labels to probabilities. */
    private static boolean isZipMap(ValueInfo info) {
        if (!(info instanceof SequenceInfo si) || !si.isSequenceOfMaps() || si.mapInfo == null) {
            return false;
        }
        MapInfo m = si.mapInfo;
        return (m.keyType == OnnxJavaType.INT64 || m.keyType == OnnxJavaType.STRING)
                && (m.valueType == OnnxJavaType.FLOAT || m.valueType == OnnxJavaType.DOUBLE);
    }

    private static String describe(ValueInfo info) {
        if (info instanceof TensorInfo ti) {
            return "tensor of " + ti.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "").toLowerCase(java.util.Locale.ROOT);
        }
        return String.valueOf(info);
    }

    List<TensorSpec> outputSpecs() {
        return outputs.stream().map(OutputPlan::spec).toList();
    }

    /**
     * The signature of an artifact loaded without a claimed one. A single 2-D numeric input with
     * a fixed feature dimension is PACKED with features {@code f0..f(n-1)}; if that dimension is
     * dynamic the layout stays PACKED but the features are unnamed (a claimed signature must name
     * them before rows can be predicted). Anything else is PER_FEATURE, one feature per input
     * that a row value can fill and whose name is a valid feature name.
     */
    ModelSignature defaultSignature() {
        if (inputs.size() == 1 && inputs.get(0).type().isNumeric() && inputs.get(0).shape().length == 2) {
            TensorSpec in = inputs.get(0);
            long width = in.shape()[1];
            List<Field> features = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                features.add(field("f" + i, in.type(), FeatureType.of(in.type())));
            }
            return new ModelSignature(features, InputLayout.PACKED, inputs, outputSpecs(), Map.of());
        }
        List<Field> features = new ArrayList<>();
        for (TensorSpec in : inputs) {
            featureType(in).filter(t -> validFieldName(in.name())).ifPresent(t -> features.add(field(in.name(), in.type(), t)));
        }
        return new ModelSignature(features, InputLayout.PER_FEATURE, inputs, outputSpecs(), Map.of());
    }

    /**
     * The feature type a row value needs to fill {@code in}: a scalar for [N] and [N, 1], a
     * numeric vector for [N, k]; empty for a shape rows cannot fill (higher rank, an open
     * second dimension, or several bools or strings per row).
     */
    private static java.util.Optional<FeatureType> featureType(TensorSpec in) {
        long[] shape = in.shape();
        if (shape.length == 1 || (shape.length == 2 && shape[1] == 1)) {
            return java.util.Optional.of(FeatureType.of(in.type()));
        }
        if (shape.length == 2 && shape[1] > 1 && in.type().isNumeric()) {
            return java.util.Optional.of(FeatureType.vector(in.type(), Math.toIntExact(shape[1])));
        }
        return java.util.Optional.empty();
    }

    /** Floating and string inputs can carry a missing value (NaN, ""); integers and booleans cannot. */
    private static Field field(String name, ScalarType tensorType, FeatureType type) {
        boolean nullable = tensorType.isFloating() || tensorType == ScalarType.STRING;
        return new Field(name, type, nullable);
    }

    private static boolean validFieldName(String name) {
        try {
            Field.of(name, FeatureType.FLOAT32);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }
}
