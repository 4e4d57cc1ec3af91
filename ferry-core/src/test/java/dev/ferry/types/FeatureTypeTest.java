package dev.ferry.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ErrorKind;
import dev.ferry.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureTypeTest {

    @Test
    void parsesScalarAndVectorTypesAndPrintsThemBack() {
        assertThat(FeatureType.parse("int64")).isEqualTo(FeatureType.INT64);
        assertThat(FeatureType.parse(" FP32 ")).isEqualTo(FeatureType.FLOAT32);
        assertThat(FeatureType.parse("float32[8]")).isEqualTo(FeatureType.vector(ScalarType.FLOAT32, 8));
        assertThat(FeatureType.parse("float32[8]").toString()).isEqualTo("float32[8]");
    }

    @Test
    void refusesUnknownTypesNamingTheValueAndTheChoices() {
        assertThatThrownBy(() -> FeatureType.parse("decimal"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'decimal'")
                .hasMessageContaining("int64");
        assertThatThrownBy(() -> FeatureType.parse("string[3]"))
                .hasMessageContaining("vectors must be numeric");
        assertThatThrownBy(() -> FeatureType.parse("float32[x]"))
                .hasMessageContaining("float32[8]");
    }

    @Test
    void aFloatSentToAnIntegerFeatureIsRefusedEvenWhenIntegral() {
        assertThatThrownBy(() -> FeatureType.INT64.coerce("user_age", 30.0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("feature 'user_age' was 30.0 of type float64 but the expected type is int64")
                .extracting(e -> ((InvalidInputException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
    }

    @Test
    void aCanonicalFloatingValueIsReturnedAsIsAndOthersConvert() {
        Double d = 0.1;
        Float f = 0.1f;
        assertThat(FeatureType.FLOAT64.coerce("x", d)).isSameAs(d);
        assertThat(FeatureType.FLOAT32.coerce("x", f)).isSameAs(f);
        assertThat(FeatureType.FLOAT32.coerce("x", d)).isEqualTo(0.1f);
        assertThat(FeatureType.FLOAT64.coerce("x", f)).isEqualTo((double) 0.1f);
        assertThat(FeatureType.FLOAT64.coerce("x", Double.NaN)).isEqualTo(Double.NaN);
        assertThat(FeatureType.FLOAT64.coerce("x", new BigDecimal("2.5"))).isEqualTo(2.5);
    }

    @Test
    void integersWidenToFloatsAndNarrowOnlyWithinRange() {
        assertThat(FeatureType.FLOAT64.coerce("x", 3)).isEqualTo(3.0);
        assertThat(FeatureType.FLOAT32.coerce("x", 2L)).isEqualTo(2.0f);
        assertThat(FeatureType.INT32.coerce("x", 7L)).isEqualTo(7);
        assertThat(FeatureType.INT64.coerce("x", BigInteger.TEN)).isEqualTo(10L);
        assertThatThrownBy(() -> FeatureType.INT32.coerce("count", 3_000_000_000L))
                .hasMessageContaining("'count'").hasMessageContaining("out of range for int32");
    }

    @Test
    void stringsAndBoolsAreNotNumbers() {
        assertThatThrownBy(() -> FeatureType.FLOAT64.coerce("income", "1000"))
                .hasMessage("feature 'income' was '1000' of type string but the expected type is float64");
        assertThatThrownBy(() -> FeatureType.INT32.coerce("flag", true))
                .hasMessageContaining("of type bool");
        assertThatThrownBy(() -> FeatureType.BOOL.coerce("flag", 1))
                .hasMessageContaining("expected type is bool");
        assertThat(FeatureType.STRING.coerce("city", "Oslo")).isEqualTo("Oslo");
    }

    @Test
    void vectorsAreCheckedForLengthAndElementType() {
        FeatureType emb = FeatureType.vector(ScalarType.FLOAT32, 3);
        assertThat((float[]) emb.coerce("emb", List.of(1, 2.5, 3))).containsExactly(1f, 2.5f, 3f);
        assertThat((float[]) emb.coerce("emb", new double[] {1, 2, 3})).containsExactly(1f, 2f, 3f);
        assertThatThrownBy(() -> emb.coerce("emb", List.of(1, 2)))
                .hasMessage("feature 'emb' had 2 elements but type float32[3] expects exactly 3");
        assertThatThrownBy(() -> FeatureType.vector(ScalarType.INT64, 2).coerce("ids", List.of(1, 2.5)))
                .hasMessageContaining("'ids[1]'");
        assertThatThrownBy(() -> emb.coerce("emb", "1,2,3")).hasMessageContaining("of type string");
    }

    @Test
    void parsesTextCellsLikeCsvValues() {
        assertThat(FeatureType.INT64.parseText("n", "42")).isEqualTo(42L);
        assertThat(FeatureType.FLOAT64.parseText("x", "NA")).isEqualTo(Double.NaN);
        assertThat(FeatureType.BOOL.parseText("b", "FALSE")).isEqualTo(false);
        assertThat(FeatureType.INT32.parseText("n", "")).isNull();
        assertThat((double[]) FeatureType.parse("float64[2]").parseText("v", "[1.5, 2]")).containsExactly(1.5, 2.0);
        assertThatThrownBy(() -> FeatureType.INT32.parseText("age", "4.5"))
                .hasMessageContaining("'age'").hasMessageContaining("'4.5'");
    }

    @Test
    void nonNullableFieldsRefuseMissingValues() {
        Field f = Field.required("user_id", FeatureType.INT64);
        assertThatThrownBy(() -> f.coerce(null)).hasMessageContaining("'user_id' was missing");
        assertThat(Field.of("x", FeatureType.INT64).coerce(null)).isNull();
    }

    @Test
    void schemaReportsEveryProblemOfARowAtOnce() {
        Schema s = Schema.of(Field.of("age", FeatureType.INT32), Field.required("name", FeatureType.STRING));
        assertThatThrownBy(() -> s.coerce(Row.of("age", 1.5, "nmae", "x")))
                .hasMessageContaining("'nmae' is not in the schema")
                .hasMessageContaining("'age' was 1.5")
                .hasMessageContaining("'name' was missing");
        assertThat(s.coerce(Row.of("age", 3, "name", "a")).get("age")).isEqualTo(3);
    }

    @Test
    void schemaRefusesDuplicateNames() {
        assertThatThrownBy(() -> Schema.of(Field.of("a", FeatureType.INT32), Field.of("a", FeatureType.INT64)))
                .hasMessageContaining("'a' appears more than once");
    }
}
