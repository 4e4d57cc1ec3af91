package dev.ferry.serving;

import java.util.List;
import java.util.Map;

/**
 * The features one model needs for a batch of entities.
 *
 * @param deployment the deployment asking (for metrics and routing in the store)
 * @param features   feature names as the model's signature spells them
 * @param references the model's feature references from its provenance ({@code view:feature}),
 *                   empty when it recorded none; a store adapter maps names to views with them
 * @param entities   one entity key map per row, e.g. {@code {"user_id": "42"}}
 */
public record FeatureRequest(String deployment, List<String> features, List<String> references,
                             List<Map<String, Object>> entities) {

    public FeatureRequest {
        features = List.copyOf(features);
        references = List.copyOf(references);
        entities = List.copyOf(entities);
    }
}
