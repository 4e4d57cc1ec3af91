package dev.ferry.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small ONNX graphs written in the tests with the ONNX protobuf classes, for behaviour no
 * exported model in reach shows: every element type, several inputs, and ai.onnx.ml ZipMap
 * outputs (a LinearClassifier followed by ZipMap, as skl2onnx writes it with zipmap=True).
 */
final class OnnxGraphs {

    static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
    static final int INT32 = TensorProto.DataType.INT32_VALUE;
    static final int INT64 = TensorProto.DataType.INT64_VALUE;
    static final int BOOL = TensorProto.DataType.BOOL_VALUE;
    static final int STRING = TensorProto.DataType.STRING_VALUE;

    private OnnxGraphs() {
    }

    /** An Identity per element type: inputs {@code b, i, l, f, d, s} of shape [N, 2] to outputs {@code b_out, ...}. */
    static ModelProto identities() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("identities");
        String[] names = {"b", "i", "l", "f", "d", "s"};
        int[] types = {BOOL, INT32, INT64, FLOAT, DOUBLE, STRING};
        for (int k = 0; k < names.length; k++) {
            g.addInput(tensor(names[k], types[k], -1, 2));
            g.addOutput(tensor(names[k] + "_out", types[k], -1, 2));
            g.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(names[k]).addOutput(names[k] + "_out"));
        }
        return model(g, false);
    }

    /** Inputs {@code age} int64 [N], {@code city} string [N, 1], {@code scores} float [N, 3], each passed through. */
    static ModelProto perFeature() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("per_feature")
                .addInput(tensor("age", INT64, -1)).addInput(tensor("city", STRING, -1, 1)).addInput(tensor("scores", FLOAT, -1, 3))
                .addOutput(tensor("age_out", INT64, -1)).addOutput(tensor("city_out", STRING, -1, 1))
                .addOutput(tensor("scores_out", FLOAT, -1, 3));
        for (String n : new String[] {"age", "city", "scores"}) {
            g.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(n).addOutput(n + "_out"));
        }
        return model(g, false);
    }

    /** {@code y = x * 2} for a float input {@code x} of the given shape (-1 = dynamic). */
    static ModelProto doubler(long... shape) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("doubler")
                .addInput(tensor("x", FLOAT, shape))
                .addOutput(tensor("y", FLOAT, shape))
                .addInitializer(TensorProto.newBuilder().setName("two").setDataType(FLOAT).addFloatData(2f))
                .addNode(NodeProto.newBuilder().setOpType("Mul").addInput("x").addInput("two").addOutput("y"));
        return model(g, false);
    }

    /**
     * LinearClassifier (softmax) + ZipMap over 2 features. {@code intLabels} or
     * {@code stringLabels} gives the classes; coefficients are per class, row-major.
     */
    static ModelProto linearClassifierWithZipMap(List<Long> intLabels, List<String> stringLabels, float[] coefficients,
                                                  float[] intercepts) {
        boolean ints = intLabels != null;
        int labelType = ints ? INT64 : STRING;
        NodeProto.Builder clf = NodeProto.newBuilder().setOpType("LinearClassifier").setDomain("ai.onnx.ml")
                .addInput("X").addOutput("output_label").addOutput("scores")
                .addAttribute(floats("coefficients", coefficients))
                .addAttribute(floats("intercepts", intercepts))
                .addAttribute(AttributeProto.newBuilder().setName("post_transform").setType(AttributeProto.AttributeType.STRING)
                        .setS(ByteString.copyFromUtf8("SOFTMAX")));
        NodeProto.Builder zip = NodeProto.newBuilder().setOpType("ZipMap").setDomain("ai.onnx.ml")
                .addInput("scores").addOutput("output_probability");
        if (ints) {
            clf.addAttribute(AttributeProto.newBuilder().setName("classlabels_ints").setType(AttributeProto.AttributeType.INTS).addAllInts(intLabels));
            zip.addAttribute(AttributeProto.newBuilder().setName("classlabels_int64s").setType(AttributeProto.AttributeType.INTS).addAllInts(intLabels));
        } else {
            AttributeProto.Builder s = AttributeProto.newBuilder().setName("classlabels_strings").setType(AttributeProto.AttributeType.STRINGS);
            stringLabels.forEach(l -> s.addStrings(ByteString.copyFrom(l, StandardCharsets.UTF_8)));
            clf.addAttribute(s);
            zip.addAttribute(s);
        }
        TypeProto mapType = TypeProto.newBuilder().setMapType(TypeProto.Map.newBuilder().setKeyType(labelType)
                .setValueType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT)))).build();
        GraphProto.Builder g = GraphProto.newBuilder().setName("linear_zipmap")
                .addInput(tensor("X", FLOAT, -1, 2))
                .addOutput(tensor("output_label", labelType, -1))
                .addOutput(ValueInfoProto.newBuilder().setName("output_probability")
                        .setType(TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(mapType))))
                .addNode(clf).addNode(zip);
        return model(g, true);
    }

    static Path write(ModelProto model, Path file) {
        try {
            Files.write(file, model.toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModelProto model(GraphProto.Builder graph, boolean ml) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("ferry-onnx-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13));
        if (ml) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1));
        }
        return m.setGraph(graph).build();
    }

    static ValueInfoProto tensor(String name, int elemType, long... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N") : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s)))
                .build();
    }

    private static AttributeProto floats(String name, float[] values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return a.build();
    }
}
