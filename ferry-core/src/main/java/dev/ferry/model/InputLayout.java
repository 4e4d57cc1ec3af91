package dev.ferry.model;

/** How a model's named features become its input tensors. */
public enum InputLayout {
    /**
     * All features, in signature order, packed into the single numeric input tensor of shape
     * [batch, features] (XGBoost, LightGBM, most scikit-learn ONNX exports). Booleans become
     * 1/0, categorical strings their category code, and missing values NaN.
     */
    PACKED,
    /** Each feature is the input tensor of the same name, of shape [batch], [batch, 1] or [batch, length]. */
    PER_FEATURE
}
