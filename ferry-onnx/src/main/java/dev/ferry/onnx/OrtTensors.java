package dev.ferry.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.ferry.InvalidInputException;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Converts Ferry tensors to ONNX Runtime tensors and back, for every {@link ScalarType}. */
final class OrtTensors {

    private OrtTensors() {
    }

    /** The Ferry type an ONNX element type is fed as, if Ferry can feed it. */
    static Optional<ScalarType> inputType(TensorInfo.OnnxTensorType t) {
        return Optional.ofNullable(switch (t) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> ScalarType.FLOAT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> ScalarType.FLOAT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> ScalarType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> ScalarType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> ScalarType.BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> ScalarType.STRING;
            default -> null;
        });
    }

    /**
     * The Ferry type an ONNX output element type is returned as: the six input types as they
     * are, plus lossless widenings (float16/bfloat16 to float32, 8- and 16-bit integers and
     * uint32 to int64) so a model with such an output can still be served.
     */
    static Optional<ScalarType> outputType(TensorInfo.OnnxTensorType t) {
        Optional<ScalarType> direct = inputType(t);
        if (direct.isPresent()) {
            return direct;
        }
        return Optional.ofNullable(switch (t) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> ScalarType.FLOAT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8,
                 ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16,
                 ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> ScalarType.INT64;
            default -> null;
        });
    }

    /** Copies a Ferry tensor into a new native tensor; the caller closes it. */
    static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        long[] shape = t.shape();
        return switch (t.type()) {
            case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape);
            case FLOAT64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(t.doubles()), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(t.ints()), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), shape);
            case BOOL -> {
                boolean[] b = t.bools();
                ByteBuffer buf = ByteBuffer.allocateDirect(b.length).order(ByteOrder.nativeOrder());
                for (boolean v : b) {
                    buf.put((byte) (v ? 1 : 0));
                }
                buf.rewind();
                yield OnnxTensor.createTensor(env, buf, shape, OnnxJavaType.BOOL);
            }
            case STRING -> {
                String[] s = t.strings();
                for (int i = 0; i < s.length; i++) {
                    if (s[i] == null) {
                        throw new InvalidInputException("input '" + t.name() + "' has a null string at flat index " + i
                                + " but string tensors must hold a value everywhere (use \"\" for empty)");
                    }
                }
                yield OnnxTensor.createTensor(env, s, shape);
            }
        };
    }

    /** Copies a native tensor into a Ferry tensor named {@code name}. */
    static Tensor fromOrt(String name, OnnxTensor t) throws OrtException {
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        int n = Math.toIntExact(info.getNumElements());
        return switch (info.onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16,
                 ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> {
                float[] out = new float[n];
                t.getFloatBuffer().get(out); // ORT widens the 16-bit floats here
                yield Tensor.ofFloats(name, shape, out);
            }
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> {
                double[] out = new double[n];
                t.getDoubleBuffer().get(out);
                yield Tensor.ofDoubles(name, shape, out);
            }
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> {
                int[] out = new int[n];
                t.getIntBuffer().get(out);
                yield Tensor.ofInts(name, shape, out);
            }
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> {
                long[] out = new long[n];
                t.getLongBuffer().get(out);
                yield Tensor.ofLongs(name, shape, out);
            }
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                boolean[] out = new boolean[n];
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i) != 0;
                }
                yield Tensor.ofBools(name, shape, out);
            }
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> {
                List<String> flat = new ArrayList<>(n);
                flatten(t.getValue(), flat);
                yield Tensor.ofStrings(name, shape, flat.toArray(String[]::new));
            }
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> {
                ByteBuffer b = t.getByteBuffer();
                boolean unsigned = info.onnxType == TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8;
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = unsigned ? Byte.toUnsignedLong(b.get(i)) : b.get(i);
                }
                yield Tensor.ofLongs(name, shape, out);
            }
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> {
                var s = t.getShortBuffer();
                boolean unsigned = info.onnxType == TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16;
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = unsigned ? Short.toUnsignedLong(s.get(i)) : s.get(i);
                }
                yield Tensor.ofLongs(name, shape, out);
            }
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> {
                IntBuffer b = t.getByteBuffer().order(ByteOrder.nativeOrder()).asIntBuffer();
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = Integer.toUnsignedLong(b.get(i));
                }
                yield Tensor.ofLongs(name, shape, out);
            }
            default -> throw new OnnxRuntimeFailure("output '" + name + "' has element type " + info.onnxType
                    + ", which Ferry cannot return", null);
        };
    }

    /** Row-major flattening of the nested String arrays ORT returns for string tensors. */
    private static void flatten(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Object[] arr) {
            for (Object o : arr) {
                flatten(o, out);
            }
        }
    }
}
