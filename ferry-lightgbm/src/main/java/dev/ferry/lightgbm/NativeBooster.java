package dev.ferry.lightgbm;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import dev.ferry.UnavailableException;
import io.github.metarank.lightgbm4j.LGBMBooster;
import java.io.IOException;
import java.lang.ref.Cleaner;

/**
 * One LightGBM booster handle driven through the C API (SWIG bindings shipped in lightgbm4j).
 * Ferry calls the C API itself rather than {@code LGBMBooster.predictForMat} because lightgbm4j
 * 4.3.0-1 sizes the output buffer as {@code 2 * rows} (times {@code features + 1} for SHAP), which
 * overflows for a model with more than two classes; here the buffer size comes from
 * {@code LGBM_BoosterCalcNumPredict}. Not synchronized: {@link LightGbmModel} decides who may call.
 */
final class NativeBooster {

    static final int PREDICT_NORMAL = 0;
    static final int PREDICT_RAW_SCORE = 1;
    static final int PREDICT_CONTRIB = 3;
    private static final int DTYPE_FLOAT64 = 1;
    private static final int ROW_MAJOR = 1;

    /** Frees boosters whose model was dropped without close(), so native memory is not leaked for good. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final SWIGTYPE_p_void handle;
    private final Cleaner.Cleanable cleanable;

    private NativeBooster(SWIGTYPE_p_void handle) {
        this.handle = handle;
        this.cleanable = CLEANER.register(this, new Free(handle));
    }

    /** The free action; it holds the handle only, never the booster, or the booster would never become unreachable. */
    private record Free(SWIGTYPE_p_void handle) implements Runnable {
        @Override
        public void run() {
            lightgbmlib.LGBM_BoosterFree(handle);
        }
    }

    /** Loads the native libraries lightgbm4j ships (once per JVM). */
    static void ensureNative() {
        if (!LGBMBooster.isNativeLoaded()) {
            try {
                LGBMBooster.loadNative();
            } catch (IOException | UnsatisfiedLinkError e) {
                throw new UnavailableException("the LightGBM native library could not be loaded for "
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": " + e.getMessage(), e);
            }
        }
    }

    /** Parses a model in LightGBM's text format; throws {@link LightGbmError} with LightGBM's message. */
    static NativeBooster fromString(String modelText) {
        ensureNative();
        SWIGTYPE_p_p_void out = lightgbmlib.new_voidpp();
        SWIGTYPE_p_int iterations = lightgbmlib.new_intp();
        try {
            check(lightgbmlib.LGBM_BoosterLoadModelFromString(modelText, iterations, out));
            return new NativeBooster(lightgbmlib.voidpp_value(out));
        } finally {
            lightgbmlib.delete_intp(iterations);
            lightgbmlib.delete_voidpp(out);
        }
    }

    int numFeatures() {
        SWIGTYPE_p_int out = lightgbmlib.new_intp();
        try {
            check(lightgbmlib.LGBM_BoosterGetNumFeature(handle, out));
            return lightgbmlib.intp_value(out);
        } finally {
            lightgbmlib.delete_intp(out);
        }
    }

    int numClasses() {
        SWIGTYPE_p_int out = lightgbmlib.new_intp();
        try {
            check(lightgbmlib.LGBM_BoosterGetNumClasses(handle, out));
            return lightgbmlib.intp_value(out);
        } finally {
            lightgbmlib.delete_intp(out);
        }
    }

    String[] featureNames() {
        SWIGTYPE_p_void names = lightgbmlib.LGBM_BoosterGetFeatureNamesSWIG(handle);
        if (names == null) {
            throw new LightGbmError(lightgbmlib.LGBM_GetLastError());
        }
        try {
            return lightgbmlib.StringArrayHandle_get_strings(names);
        } finally {
            lightgbmlib.StringArrayHandle_free(names);
        }
    }

    /**
     * Runs {@code LGBM_BoosterPredictForMat} over a row-major float64 matrix of {@code rows x cols}
     * and returns LightGBM's output (length from {@code LGBM_BoosterCalcNumPredict}).
     */
    double[] predict(double[] data, int rows, int cols, int predictType, String parameters) {
        if (rows == 0) {
            return new double[0];
        }
        SWIGTYPE_p_long_long len = lightgbmlib.new_int64_tp();
        SWIGTYPE_p_double in = null;
        SWIGTYPE_p_double out = null;
        try {
            check(lightgbmlib.LGBM_BoosterCalcNumPredict(handle, rows, predictType, 0, -1, len));
            long outSize = lightgbmlib.int64_tp_value(len);
            in = lightgbmlib.new_doubleArray(data.length);
            for (int i = 0; i < data.length; i++) {
                lightgbmlib.doubleArray_setitem(in, i, data[i]);
            }
            out = lightgbmlib.new_doubleArray(outSize);
            check(lightgbmlib.LGBM_BoosterPredictForMat(handle, lightgbmlib.double_to_voidp_ptr(in), DTYPE_FLOAT64,
                    rows, cols, ROW_MAJOR, predictType, 0, -1, parameters, len, out));
            int n = Math.toIntExact(lightgbmlib.int64_tp_value(len));
            double[] result = new double[n];
            for (int i = 0; i < n; i++) {
                result[i] = lightgbmlib.doubleArray_getitem(out, i);
            }
            return result;
        } finally {
            if (out != null) {
                lightgbmlib.delete_doubleArray(out);
            }
            if (in != null) {
                lightgbmlib.delete_doubleArray(in);
            }
            lightgbmlib.delete_int64_tp(len);
        }
    }

    /** Frees the native booster (once, however often called); later calls are refused by the owner. */
    void free() {
        cleanable.clean();
    }

    private static void check(int rc) {
        if (rc != 0) {
            throw new LightGbmError(lightgbmlib.LGBM_GetLastError());
        }
    }

    /** A LightGBM C API call failed; the message is LightGBM's. */
    static final class LightGbmError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LightGbmError(String message) {
            super(message);
        }
    }
}
