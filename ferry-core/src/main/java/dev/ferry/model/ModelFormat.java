package dev.ferry.model;

import dev.ferry.InvalidInputException;
import java.util.Locale;

/** The artifact formats Ferry can serve; each is backed by one {@link ModelRuntime} module. */
public enum ModelFormat {
    ONNX("onnx", "ferry-onnx"),
    XGBOOST("xgboost", "ferry-xgboost"),
    LIGHTGBM("lightgbm", "ferry-lightgbm");

    private final String id;
    private final String module;

    ModelFormat(String id, String module) {
        this.id = id;
        this.module = module;
    }

    public String id() {
        return id;
    }

    /** The Maven module whose runtime loads this format. */
    public String module() {
        return module;
    }

    public static ModelFormat parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (ModelFormat f : values()) {
                if (f.id.equals(t)) {
                    return f;
                }
            }
            if (t.equals("xgb")) {
                return XGBOOST;
            }
            if (t.equals("lgbm") || t.equals("lightgbm4j")) {
                return LIGHTGBM;
            }
        }
        throw new InvalidInputException("format was '" + text + "' but it must be one of onnx, xgboost, lightgbm");
    }

    /**
     * Guesses the format from a file name: {@code .onnx}, {@code .ubj}/{@code .json}/{@code .xgb}
     * (XGBoost), {@code .txt}/{@code .lgb} (LightGBM). Ambiguous names need an explicit format.
     */
    public static ModelFormat fromFileName(String fileName) {
        String f = fileName.toLowerCase(Locale.ROOT);
        if (f.endsWith(".onnx")) {
            return ONNX;
        }
        if (f.endsWith(".ubj") || f.endsWith(".json") || f.endsWith(".xgb") || f.endsWith(".deprecated")) {
            return XGBOOST;
        }
        if (f.endsWith(".txt") || f.endsWith(".lgb") || f.endsWith(".lgbm")) {
            return LIGHTGBM;
        }
        throw new InvalidInputException("model file was '" + fileName
                + "' but its format cannot be told from the name: expected .onnx, .json/.ubj (xgboost) or .txt (lightgbm), or give the format explicitly");
    }

    @Override
    public String toString() {
        return id;
    }
}
