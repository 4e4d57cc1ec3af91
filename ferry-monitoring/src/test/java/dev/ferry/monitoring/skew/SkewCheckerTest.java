package dev.ferry.monitoring.skew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.monitoring.drift.FeatureDrift;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.monitoring.profile.Profiles;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SkewCheckerTest {

    static final Schema TRAINING = Schema.of(Field.of("age", FeatureType.INT64), Field.of("income", FeatureType.FLOAT64),
            Field.of("city", FeatureType.STRING), Field.of("score", FeatureType.FLOAT64), Field.of("clicks", FeatureType.INT64));

    @Test
    void findsMissingExtraRetypedNullierAndShiftedFeatures() {
        Random r = new Random(1);
        List<Row> training = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            training.add(Row.of("age", (long) (20 + r.nextInt(50)), "income", 1000 + r.nextGaussian() * 100, "city", "c" + r.nextInt(5),
                    "score", r.nextGaussian(), "clicks", (long) r.nextInt(100)));
        }
        ProfileAccumulator served = ProfileAccumulator.inferring();
        for (int i = 0; i < 3000; i++) {
            Map<String, Object> m = new HashMap<>();
            m.put("age", 20.0 + r.nextInt(50));
            m.put("income", i % 5 == 0 ? null : 1000 + r.nextGaussian() * 100);
            m.put("score", r.nextGaussian() + 1.0);
            m.put("clicks", r.nextInt(100));
            m.put("session_length", r.nextDouble());
            served.add(m);
        }
        DatasetProfile trainingProfile = Profiles.of(TRAINING, training);
        SkewReport report = SkewChecker.defaults().compare(trainingProfile, served.snapshot());

        assertThat(report.schemaIssues()).extracting(SchemaIssue::feature, SchemaIssue::kind).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("age", SchemaIssue.Kind.TYPE_MISMATCH),
                org.assertj.core.groups.Tuple.tuple("city", SchemaIssue.Kind.MISSING),
                org.assertj.core.groups.Tuple.tuple("session_length", SchemaIssue.Kind.EXTRA));
        assertThat(report.schemaIssues().stream().filter(i -> i.feature().equals("age")).findFirst().orElseThrow().message())
                .isEqualTo("feature 'age' is served as float64 but was trained as int64");
        FeatureSkew income = report.feature("income").orElseThrow();
        assertThat(income.nullRateSkewed()).isTrue();
        assertThat(income.servedNullRate()).isEqualTo(0.2);
        assertThat(income.distribution().map(FeatureDrift::drifted)).contains(false);
        assertThat(report.feature("score").orElseThrow().distribution().map(FeatureDrift::drifted)).contains(true);
        FeatureSkew clicks = report.feature("clicks").orElseThrow();
        assertThat(clicks.skewed()).as("served as int64 too, same distribution").isFalse();
        assertThat(report.skewed()).isTrue();
    }
}
