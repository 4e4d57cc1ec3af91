package dev.ferry.bench;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a binary:logistic XGBoost model's trees as an ONNX {@code ai.onnx.ml}
 * TreeEnsembleClassifier, the way onnxmltools converts XGBoost: every split is
 * {@code BRANCH_LT} (XGBoost goes left when the value is below the threshold), a missing value
 * follows XGBoost's default direction, the leaf values are summed as class-1 weights and
 * {@code LOGISTIC} turns the margin into {@code [1 - p, p]}. Lets the ONNX benchmark run the very
 * same trees as the XGBoost one. The model must have {@code base_score = 0.5} (a zero margin).
 */
final class XGBoostToOnnx {

    static final String INPUT = "input";
    static final String LABEL = "label";
    static final String PROBABILITIES = "probabilities";

    private XGBoostToOnnx() {
    }

    /** {@code modelJson} is XGBoost's JSON model ({@code Booster.toByteArray("json")}). */
    static ModelProto convert(byte[] modelJson, int features) {
        JsonNode learner;
        try {
            learner = new ObjectMapper().readTree(modelJson).path("learner");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String objective = learner.path("objective").path("name").asText();
        float baseScore = Float.parseFloat(learner.path("learner_model_param").path("base_score").asText()
                .replace("[", "").replace("]", ""));
        if (!objective.equals("binary:logistic") || baseScore != 0.5f) {
            throw new IllegalArgumentException("expected a binary:logistic model with base_score 0.5 but found "
                    + objective + " with base_score " + baseScore);
        }
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("TreeEnsembleClassifier").setDomain("ai.onnx.ml")
                .addInput(INPUT).addOutput(LABEL).addOutput(PROBABILITIES);
        Nodes nodes = new Nodes();
        JsonNode trees = learner.path("gradient_booster").path("model").path("trees");
        for (int t = 0; t < trees.size(); t++) {
            nodes.addTree(t, trees.get(t));
        }
        node.addAttribute(ints("nodes_treeids", nodes.treeIds))
                .addAttribute(ints("nodes_nodeids", nodes.nodeIds))
                .addAttribute(ints("nodes_featureids", nodes.featureIds))
                .addAttribute(floats("nodes_values", nodes.values))
                .addAttribute(strings("nodes_modes", nodes.modes))
                .addAttribute(ints("nodes_truenodeids", nodes.trueIds))
                .addAttribute(ints("nodes_falsenodeids", nodes.falseIds))
                .addAttribute(ints("nodes_missing_value_tracks_true", nodes.missingTrue))
                .addAttribute(ints("class_treeids", nodes.leafTreeIds))
                .addAttribute(ints("class_nodeids", nodes.leafNodeIds))
                .addAttribute(ints("class_ids", nodes.leafClassIds))
                .addAttribute(floats("class_weights", nodes.leafWeights))
                .addAttribute(ints("classlabels_int64s", List.of(0L, 1L)))
                .addAttribute(AttributeProto.newBuilder().setName("post_transform").setType(AttributeProto.AttributeType.STRING)
                        .setS(ByteString.copyFrom("LOGISTIC", StandardCharsets.UTF_8)));
        GraphProto graph = GraphProto.newBuilder().setName("xgboost_gbdt")
                .addInput(tensor(INPUT, TensorProto.DataType.FLOAT_VALUE, -1, features))
                .addOutput(tensor(LABEL, TensorProto.DataType.INT64_VALUE, -1))
                .addOutput(tensor(PROBABILITIES, TensorProto.DataType.FLOAT_VALUE, -1, 2))
                .addNode(node)
                .build();
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("ferry-benchmarks")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1))
                .setGraph(graph).build();
    }

    /** The flattened node and leaf attributes of all trees. */
    private static final class Nodes {
        final List<Long> treeIds = new ArrayList<>();
        final List<Long> nodeIds = new ArrayList<>();
        final List<Long> featureIds = new ArrayList<>();
        final List<Float> values = new ArrayList<>();
        final List<String> modes = new ArrayList<>();
        final List<Long> trueIds = new ArrayList<>();
        final List<Long> falseIds = new ArrayList<>();
        final List<Long> missingTrue = new ArrayList<>();
        final List<Long> leafTreeIds = new ArrayList<>();
        final List<Long> leafNodeIds = new ArrayList<>();
        final List<Long> leafClassIds = new ArrayList<>();
        final List<Float> leafWeights = new ArrayList<>();

        /** XGBoost's JSON tree: parallel arrays; a leaf has left child -1 and its value in split_conditions. */
        void addTree(long tree, JsonNode t) {
            JsonNode left = t.path("left_children");
            JsonNode right = t.path("right_children");
            JsonNode index = t.path("split_indices");
            JsonNode condition = t.path("split_conditions");
            JsonNode defaultLeft = t.path("default_left");
            for (int n = 0; n < left.size(); n++) {
                boolean leaf = left.get(n).asInt() == -1;
                treeIds.add(tree);
                nodeIds.add((long) n);
                if (leaf) {
                    featureIds.add(0L);
                    values.add(0f);
                    modes.add("LEAF");
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missingTrue.add(0L);
                    leafTreeIds.add(tree);
                    leafNodeIds.add((long) n);
                    leafClassIds.add(0L);
                    leafWeights.add((float) condition.get(n).asDouble());
                } else {
                    featureIds.add(index.get(n).asLong());
                    values.add((float) condition.get(n).asDouble());
                    modes.add("BRANCH_LT");
                    trueIds.add(left.get(n).asLong());
                    falseIds.add(right.get(n).asLong());
                    JsonNode d = defaultLeft.get(n);
                    missingTrue.add(d.isBoolean() ? (d.asBoolean() ? 1L : 0L) : d.asLong());
                }
            }
        }
    }

    private static ValueInfoProto tensor(String name, int elemType, long... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s)))
                .build();
    }

    private static AttributeProto ints(String name, List<Long> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(values).build();
    }

    private static AttributeProto floats(String name, List<Float> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS).addAllFloats(values).build();
    }

    private static AttributeProto strings(String name, List<String> values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        values.forEach(v -> a.addStrings(ByteString.copyFrom(v, StandardCharsets.UTF_8)));
        return a.build();
    }
}
