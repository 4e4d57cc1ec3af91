package dev.ferry.monitoring.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    @Test
    void rulesAreReadWithTheirDefaults() {
        List<AlertRule> rules = AlertRules.parse("""
                rules:
                  - name: credit-accuracy-low
                    score: accuracy{deployment=credit, arm=champion}
                    when: "<"
                    threshold: 0.8
                    for: 2h
                    severity: critical
                    description: Accuracy of the credit model fell
                  - name: skew
                    score: skew.type_mismatch
                    when: ">"
                    threshold: 0
                """, "alerts.yaml");
        assertThat(rules).hasSize(2);
        AlertRule r = rules.getFirst();
        assertThat(r.selector()).isEqualTo(ScoreKey.of("accuracy", "arm", "champion", "deployment", "credit"));
        assertThat(r.comparison()).isEqualTo(Comparison.BELOW);
        assertThat(r.sustainedFor()).isEqualTo(Duration.ofHours(2));
        assertThat(r.resolveAfter()).isEqualTo(Duration.ofHours(2));
        assertThat(r.severity()).isEqualTo("critical");
        assertThat(rules.get(1).sustainedFor()).isZero();
        assertThat(rules.get(1).severity()).isEqualTo("warning");
    }

    @Test
    void everyProblemIsReportedAtOnceWithFileRuleFieldAndValue() {
        assertThatThrownBy(() -> AlertRules.parse("""
                rules:
                  - name: a
                    score: accuracy{deployment=credit
                    when: "<"
                    threshold: high
                  - name: a
                    score: drift.psi
                    when: "~"
                    threshold: 0.2
                    for: soon
                    colour: red
                  - score: x
                    when: ">"
                    threshold: 1
                """, "alerts.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("alerts.yaml: rule 'a': field 'score': score was 'accuracy{deployment=credit' but a score like"
                        + " accuracy{deployment=credit} (closed with }) is expected")
                .hasMessageContaining("alerts.yaml: rule 'a': field 'threshold' was 'high' but a finite number is expected")
                .hasMessageContaining("alerts.yaml: rule 'a': field 'name' was 'a' but rule names must be unique")
                .hasMessageContaining("alerts.yaml: rule 'a': field 'when' was '~' but one of >, >=, <, <=, ==, != is expected")
                .hasMessageContaining("alerts.yaml: rule 'a': field 'for' was 'soon' but a duration like 90s, 30m, 2h, 1d or PT30M is expected")
                .hasMessageContaining("alerts.yaml: rule 'a': field 'colour' is not known")
                .hasMessageContaining("alerts.yaml: rule #3: field 'name' was (missing) but a non-empty name is expected");
    }

    @Test
    void aFileWithoutARulesListIsRefused() {
        assertThatThrownBy(() -> AlertRules.parse("rule: []", "a.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessage("a.yaml: field 'rules' was null but a list of rules is expected");
    }

    @Test
    void scoreKeysParseQuotedValuesAndPrintCanonically() {
        ScoreKey k = ScoreKey.parse("accuracy{segment=\"New York\", deployment=credit}");
        assertThat(k.labels()).containsEntry("segment", "New York").containsEntry("deployment", "credit");
        assertThat(k.toString()).isEqualTo("accuracy{deployment=credit,segment=\"New York\"}");
        assertThat(ScoreKey.parse(k.toString())).isEqualTo(k);
        assertThat(k.matches(ScoreKey.parse("accuracy{deployment=credit}"))).isTrue();
        assertThat(k.matches(ScoreKey.parse("accuracy{deployment=fraud}"))).isFalse();
    }
}
