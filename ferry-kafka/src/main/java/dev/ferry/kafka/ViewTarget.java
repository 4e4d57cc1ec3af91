package dev.ferry.kafka;

import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.features.RegisteredView;
import java.util.List;

/** One input topic's destination: the registered view, its join keys, and its online name {@code name@version}. */
record ViewTarget(String topic, RegisteredView registered, List<JoinKey> keys) {

    FeatureView view() {
        return registered.view();
    }

    String onlineName() {
        return registered.ref();
    }
}
