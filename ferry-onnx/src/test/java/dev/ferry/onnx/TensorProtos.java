package dev.ferry.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.ferry.types.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the serialized ONNX {@code TensorProto} files of the ONNX test data into Ferry tensors. */
final class TensorProtos {

    private TensorProtos() {
    }

    static TensorProto read(Path file) {
        try {
            return TensorProto.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tensor, named {@code name}; raw (little-endian) and typed storage both handled. */
    static Tensor toTensor(TensorProto t, String name) {
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, Math.toIntExact(d));
        }
        boolean raw = !t.getRawData().isEmpty();
        ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (TensorProto.DataType.forNumber(t.getDataType())) {
            case FLOAT -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = raw ? b.getFloat(i * 4) : t.getFloatData(i);
                }
                return Tensor.ofFloats(name, shape, v);
            }
            case DOUBLE -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = raw ? b.getDouble(i * 8) : t.getDoubleData(i);
                }
                return Tensor.ofDoubles(name, shape, v);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = raw ? b.getInt(i * 4) : t.getInt32Data(i);
                }
                return Tensor.ofInts(name, shape, v);
            }
            case INT64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = raw ? b.getLong(i * 8) : t.getInt64Data(i);
                }
                return Tensor.ofLongs(name, shape, v);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = raw ? b.get(i) != 0 : t.getInt32Data(i) != 0;
                }
                return Tensor.ofBools(name, shape, v);
            }
            case STRING -> {
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getStringData(i).toStringUtf8();
                }
                return Tensor.ofStrings(name, shape, v);
            }
            default -> throw new IllegalArgumentException("tensor '" + t.getName() + "' has data type " + t.getDataType()
                    + ", which these tests do not read");
        }
    }
}
