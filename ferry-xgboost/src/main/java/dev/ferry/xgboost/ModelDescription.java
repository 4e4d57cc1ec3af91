package dev.ferry.xgboost;

import java.util.List;
import java.util.Map;

/**
 * What Ferry needs to know about a model, read from XGBoost's own JSON form of it: the learner's
 * feature names and types, its parameters, its objective and the category lists XGBoost 3.1+
 * stores for categorical features.
 *
 * @param featureNames  {@code learner.feature_names}; empty when the model was trained without names
 * @param featureTypes  {@code learner.feature_types}; empty when absent (then all are {@code float})
 * @param numFeature    {@code learner_model_param.num_feature}
 * @param numClass      {@code learner_model_param.num_class}; 0 for anything but multi-class
 * @param numTarget     {@code learner_model_param.num_target}
 * @param objective     {@code learner.objective.name}, e.g. {@code binary:logistic}
 * @param booster       {@code learner.gradient_booster.name}: gbtree, dart or gblinear
 * @param categories    feature index to its categories, position = code, for the features whose
 *                      categories the model stores
 * @param version       the XGBoost version that saved the model, e.g. {@code 3.4.1}; empty if absent
 */
record ModelDescription(List<String> featureNames, List<String> featureTypes, int numFeature, int numClass,
                        int numTarget, String objective, String booster, Map<Integer, FeatureCategories> categories,
                        String version) {

    ModelDescription {
        featureNames = List.copyOf(featureNames);
        featureTypes = List.copyOf(featureTypes);
        categories = Map.copyOf(categories);
    }

    /**
     * The categories of one feature in code order.
     *
     * @param values  category values as text (strings as stored, integers in decimal)
     * @param strings true when the categories are strings, false when they are numbers
     */
    record FeatureCategories(List<String> values, boolean strings) {

        FeatureCategories {
            values = List.copyOf(values);
        }
    }
}
