package dev.ferry.monitoring.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

class ArmComparisonTest {

    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    /** A holdout arm on a weak model and a champion on a better one, both on the same population. */
    static List<JoinedOutcome> outcomes(boolean brokenForSweden) {
        Random r = new Random(11);
        List<JoinedOutcome> out = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            boolean holdout = i % 4 == 0;
            double y = r.nextDouble() < 0.4 ? 1 : 0;
            double signal = holdout ? 0.4 : 1.5;
            double p = 1 / (1 + Math.exp(-(r.nextGaussian() + signal * (y - 0.5) * 2)));
            String country = r.nextBoolean() ? "NO" : "SE";
            // optionally the champion is broken for Sweden: its scores there are noise
            if (brokenForSweden && !holdout && country.equals("SE")) {
                p = r.nextDouble();
            }
            out.add(new JoinedOutcome(new LoggedPrediction("r" + i, T0.plusSeconds(i * 60L), "credit",
                    holdout ? "holdout" : "champion", "credit-model", holdout ? 1 : 2, false, Map.of("user_id", i),
                    Map.of("country", country), Map.of("probability", p)), T0.plusSeconds(i * 60L + 30), y));
        }
        return out;
    }

    @Test
    void accuracyDifferenceHasTheChiSquarePValueOfCommonsMath() {
        List<JoinedOutcome> o = outcomes(true);
        AccuracyOptions opts = AccuracyOptions.classification("probability");
        ArmComparison.Difference d = ArmComparison.compare(o, "credit", "holdout", "champion", opts, 0.95).getFirst();
        assertThat(d.metric()).isEqualTo("accuracy");
        long[][] table = new long[2][2];
        for (JoinedOutcome j : o) {
            int arm = j.prediction().arm().equals("holdout") ? 0 : 1;
            double p = ((Number) j.prediction().output().get("probability")).doubleValue();
            table[arm][(p >= 0.5 ? 1.0 : 0.0) == j.label() ? 0 : 1]++;
        }
        assertThat(d.pValue()).isCloseTo(new ChiSquareTest().chiSquareTest(table), within(1e-6));
        assertThat(d.difference()).isCloseTo(d.b() - d.a(), within(1e-15));
        assertThat(d.lower()).isLessThan(d.difference()).isLessThan(d.upper());
        assertThat(d.countA() + d.countB()).isEqualTo(4000);
    }

    @Test
    void aClearlyBetterArmHasAnAucDifferenceWhoseIntervalExcludesZero() {
        ArmComparison.Difference auc = ArmComparison.compare(outcomes(false), "credit", "holdout", "champion",
                AccuracyOptions.classification("probability"), 0.95).get(1);
        assertThat(auc.metric()).isEqualTo("auc");
        assertThat(auc.lower()).isGreaterThan(0);
        assertThat(auc.pValue()).isLessThan(0.001);
    }

    @Test
    void segmentsShowTheGroupWhereTheModelIsBroken() {
        List<AccuracyRow> rows = AccuracyAnalysis.compute(outcomes(true),
                AccuracyOptions.classification("probability").withWindow(Duration.ofDays(30)).withSegmentBy("country"));
        AccuracyRow no = rows.stream().filter(r -> r.arm().equals("champion") && r.segment().orElseThrow().equals("NO")).findFirst().orElseThrow();
        AccuracyRow se = rows.stream().filter(r -> r.arm().equals("champion") && r.segment().orElseThrow().equals("SE")).findFirst().orElseThrow();
        assertThat(no.metrics().get("auc")).isGreaterThan(0.85);
        assertThat(se.metrics().get("auc")).isBetween(0.4, 0.6);
        assertThat(no.calibration()).isPresent();

        Map<dev.ferry.monitoring.alert.ScoreKey, Double> scores = AccuracyScores.of(List.of(se));
        assertThat(scores).containsEntry(dev.ferry.monitoring.alert.ScoreKey.parse(
                "auc{arm=champion,deployment=credit,segment=SE,version=2}"), se.metrics().get("auc"));
        assertThat(scores.keySet()).extracting(dev.ferry.monitoring.alert.ScoreKey::name)
                .containsExactlyInAnyOrder("auc", "log_loss", "accuracy", "ece", "positive_rate");
    }

    @Test
    void regressionArmsCompareMeanAbsoluteError() {
        List<JoinedOutcome> o = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            o.add(new JoinedOutcome(new LoggedPrediction("a" + i, T0, "price", "a", "m", 1, false, Map.of(), Map.of(),
                    Map.of("value", List.of(10.0 + (i % 2 == 0 ? 1 : -1)))), T0, 10.0));
            o.add(new JoinedOutcome(new LoggedPrediction("b" + i, T0, "price", "b", "m", 2, false, Map.of(), Map.of(),
                    Map.of("value", 10.0 + (i % 2 == 0 ? 3 : -3))), T0, 10.0));
        }
        List<ArmComparison.Difference> d = ArmComparison.compare(o, "price", "a", "b", AccuracyOptions.regression("value"), 0.9);
        assertThat(d.getFirst().metric()).isEqualTo("mae");
        assertThat(d.getFirst().a()).isEqualTo(1.0);
        assertThat(d.getFirst().b()).isEqualTo(3.0);
        assertThat(d.getFirst().pValue()).isZero();
        Map<String, Double> m = AccuracyAnalysis.overall(o.subList(0, 2), AccuracyOptions.regression("value"));
        assertThat(m).containsEntry("mae", 2.0).containsEntry("rmse", Math.sqrt(5.0));
    }
}
