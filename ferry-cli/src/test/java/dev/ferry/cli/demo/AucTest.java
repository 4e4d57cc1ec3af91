package dev.ferry.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AucTest {

    @Test
    void matchesScikitLearnsDocumentedExample() {
        // sklearn.metrics.roc_auc_score documentation: y_true [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] -> 0.75
        assertThat(Auc.of(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new float[] {0, 0, 1, 1})).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void tiesCountHalfAndOneClassHasNoAuc() {
        assertThat(Auc.of(new float[] {0.5f, 0.5f}, new float[] {0, 1})).isEqualTo(0.5);
        assertThat(Auc.of(new float[] {0.1f, 0.9f}, new float[] {1, 1})).isNaN();
    }
}
