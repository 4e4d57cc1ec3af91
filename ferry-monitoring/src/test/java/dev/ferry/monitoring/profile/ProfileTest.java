package dev.ferry.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ProfileTest {

    static final Schema SCHEMA = Schema.of(Field.of("age", FeatureType.INT64), Field.of("income", FeatureType.FLOAT64),
            Field.of("city", FeatureType.STRING), Field.of("member", FeatureType.BOOL));
    static final String[] CITIES = {"Oslo", "Bergen", "Trondheim", "Stavanger", "Tromso"};

    static List<Row> rows(long seed, int n) {
        Random r = new Random(seed);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> m = new HashMap<>();
            m.put("age", r.nextInt(10) == 0 ? null : (long) (18 + r.nextInt(60)));
            m.put("income", 30_000 + r.nextGaussian() * 8_000);
            m.put("city", CITIES[Math.min(4, (int) Math.abs(r.nextGaussian() * 1.5))]);
            m.put("member", r.nextBoolean());
            out.add(new Row(m));
        }
        return out;
    }

    @Test
    void countsNullsMomentsAndFrequentValuesAreExact() {
        List<Row> rows = rows(1, 5000);
        DatasetProfile p = Profiles.of(SCHEMA, rows);
        assertThat(p.rowCount()).isEqualTo(5000);
        FeatureProfile age = p.feature("age").orElseThrow();
        long nulls = rows.stream().filter(r -> r.get("age") == null).count();
        assertThat(age.count()).isEqualTo(5000);
        assertThat(age.nullCount()).isEqualTo(nulls);
        assertThat(age.nullRate()).isEqualTo((double) nulls / 5000);
        double[] ages = rows.stream().filter(r -> r.get("age") != null).mapToDouble(r -> ((Long) r.get("age")).doubleValue()).toArray();
        NumericSummary s = age.numeric().orElseThrow();
        assertThat(s.mean()).isCloseTo(Arrays.stream(ages).average().orElseThrow(), within(1e-9));
        assertThat(s.min()).isEqualTo(Arrays.stream(ages).min().orElseThrow());
        assertThat(s.max()).isEqualTo(Arrays.stream(ages).max().orElseThrow());
        assertThat((double) age.distinctCount()).isCloseTo(Arrays.stream(ages).distinct().count(), within(2.0));
        Map<String, Long> cities = new HashMap<>();
        rows.forEach(r -> cities.merge((String) r.get("city"), 1L, Long::sum));
        FeatureProfile city = p.feature("city").orElseThrow();
        assertThat(city.frequentValues()).isEqualTo(cities);
        assertThat(city.frequentValuesExact()).isTrue();
        assertThat(city.kind()).isEqualTo(FeatureKind.CATEGORICAL);
    }

    @Test
    void quantilesFollowTheData() {
        DatasetProfile p = Profiles.of(SCHEMA, rows(2, 20_000));
        double[] incomes = rows(2, 20_000).stream().mapToDouble(r -> (Double) r.get("income")).sorted().toArray();
        FeatureProfile income = p.feature("income").orElseThrow();
        for (double q : new double[] {0.01, 0.1, 0.5, 0.9, 0.99}) {
            double exact = incomes[(int) (q * incomes.length)];
            assertThat(income.cdf(exact)).as("rank of the %s quantile", q).isCloseTo(q, within(0.005));
        }
    }

    @Test
    void distinctCountIsWithinTheSketchError() {
        ProfileAccumulator acc = ProfileAccumulator.inferring();
        Set<String> exact = new HashSet<>();
        Random r = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            String id = "user-" + r.nextInt(150_000);
            exact.add(id);
            acc.add(Map.of("user", id));
        }
        long estimate = acc.snapshot().feature("user").orElseThrow().distinctCount();
        assertThat((double) estimate).isCloseTo(exact.size(), within(exact.size() * 0.05));
    }

    @Test
    void mergeOfTwoProfilesIsTheProfileOfTheUnion() {
        List<Row> a = rows(4, 3000);
        List<Row> b = rows(5, 7000);
        List<Row> all = new ArrayList<>(a);
        all.addAll(b);
        DatasetProfile merged = Profiles.of(SCHEMA, a).merge(Profiles.of(SCHEMA, b));
        DatasetProfile whole = Profiles.of(SCHEMA, all);
        assertThat(merged.rowCount()).isEqualTo(whole.rowCount());
        for (String name : SCHEMA.names()) {
            FeatureProfile m = merged.feature(name).orElseThrow();
            FeatureProfile w = whole.feature(name).orElseThrow();
            assertThat(m.count()).isEqualTo(w.count());
            assertThat(m.nullCount()).isEqualTo(w.nullCount());
            assertThat(m.distinctCount()).as("HyperLogLog merge is exact").isEqualTo(w.distinctCount());
            assertThat(m.frequentValues().isEmpty()).isEqualTo(w.frequentValues().isEmpty());
            if (m.kind() == FeatureKind.CATEGORICAL) {
                assertThat(m.frequentValues()).isEqualTo(w.frequentValues());
            }
        }
        NumericSummary m = merged.feature("income").orElseThrow().numeric().orElseThrow();
        NumericSummary w = whole.feature("income").orElseThrow().numeric().orElseThrow();
        assertThat(m.mean()).isCloseTo(w.mean(), within(1e-6));
        assertThat(m.std()).isCloseTo(w.std(), within(1e-6));
        assertThat(m.min()).isEqualTo(w.min());
        for (double q : new double[] {0.05, 0.25, 0.5, 0.75, 0.95}) {
            double x = whole.feature("income").orElseThrow().quantile(q);
            assertThat(merged.feature("income").orElseThrow().cdf(x)).isCloseTo(q, within(0.005));
        }
    }

    @Test
    void frequentValuesKeepTheHeavyHittersWhenThereAreTooManyToCount() {
        ProfileAccumulator acc = ProfileAccumulator.inferring();
        Random r = new Random(6);
        for (int i = 0; i < 100_000; i++) {
            acc.add(Map.of("item", i % 10 == 0 ? "popular" : "item-" + r.nextInt(5000)));
        }
        FeatureProfile item = acc.snapshot().feature("item").orElseThrow();
        assertThat(item.frequentValuesExact()).isFalse();
        assertThat(item.frequentValues().keySet().iterator().next()).isEqualTo("popular");
        long popular = item.frequentValues().get("popular");
        assertThat(popular).isLessThanOrEqualTo(10_000).isGreaterThanOrEqualTo(10_000 - item.frequentValuesMaxError());
    }

    @Test
    void aValueOfTheWrongTypeIsCountedAsInvalidWithASchemaAndWidensTheTypeWithout() {
        ProfileAccumulator typed = ProfileAccumulator.forSchema(Schema.of(Field.of("age", FeatureType.INT64)));
        typed.add(Map.of("age", 30L));
        typed.add(Map.of("age", 30.5));
        typed.add(Map.of());
        FeatureProfile age = typed.snapshot().feature("age").orElseThrow();
        assertThat(age.invalidCount()).isEqualTo(1);
        assertThat(age.nullCount()).isEqualTo(1);
        assertThat(age.validCount()).isEqualTo(1);

        ProfileAccumulator inferring = ProfileAccumulator.inferring();
        inferring.add(Map.of("age", 30));
        inferring.add(Map.of("age", 30.5));
        assertThat(inferring.snapshot().feature("age").orElseThrow().type()).isEqualTo(FeatureType.FLOAT64);
    }

    @Test
    void manyThreadsFeedingOneAccumulatorLoseNothing() throws Exception {
        ProfileAccumulator acc = ProfileAccumulator.forSchema(SCHEMA);
        List<Row> rows = rows(7, 40_000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                List<Row> part = rows.subList(t * 10_000, (t + 1) * 10_000);
                fs.add(pool.submit(() -> part.forEach(acc::add)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        DatasetProfile concurrent = acc.snapshot();
        DatasetProfile sequential = Profiles.of(SCHEMA, rows);
        assertThat(concurrent.rowCount()).isEqualTo(40_000);
        for (String name : SCHEMA.names()) {
            assertThat(concurrent.feature(name).orElseThrow().count()).isEqualTo(sequential.feature(name).orElseThrow().count());
            assertThat(concurrent.feature(name).orElseThrow().nullCount()).isEqualTo(sequential.feature(name).orElseThrow().nullCount());
            assertThat(concurrent.feature(name).orElseThrow().distinctCount()).isEqualTo(sequential.feature(name).orElseThrow().distinctCount());
        }
        assertThat(concurrent.feature("city").orElseThrow().frequentValues()).isEqualTo(sequential.feature("city").orElseThrow().frequentValues());
        assertThat(concurrent.feature("income").orElseThrow().numeric().orElseThrow().mean())
                .isCloseTo(sequential.feature("income").orElseThrow().numeric().orElseThrow().mean(), within(1e-6));
    }

    @Test
    void jsonRoundTripKeepsEverything() {
        DatasetProfile p = Profiles.of(SCHEMA, rows(8, 2000));
        String json = ProfileJson.write(p);
        assertThat(json).contains("\"formatVersion\" : 1");
        DatasetProfile back = ProfileJson.read(json);
        assertThat(ProfileJson.write(back)).isEqualTo(json);
        assertThat(back.feature("income").orElseThrow().quantile(0.5)).isEqualTo(p.feature("income").orElseThrow().quantile(0.5));
        assertThat(back.feature("city").orElseThrow().frequentValues()).isEqualTo(p.feature("city").orElseThrow().frequentValues());
    }

    @Test
    void aProfileOfAnotherFormatVersionIsRefused() {
        String json = ProfileJson.write(Profiles.of(SCHEMA, rows(9, 10))).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2");
        assertThatThrownBy(() -> ProfileJson.read(json)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("formatVersion was 2").hasMessageContaining("reads version 1");
        assertThatThrownBy(() -> ProfileJson.read("{\"rowCount\": 1}")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("formatVersion was null");
        String badSketch = ProfileJson.write(Profiles.of(SCHEMA, rows(9, 10))).replaceFirst("\"hll\" : \"[^\"]*\"", "\"hll\" : \"AAAA\"");
        assertThatThrownBy(() -> ProfileJson.read(badSketch)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("feature 'age'").hasMessageContaining("had 3 bytes");
        String badType = ProfileJson.write(Profiles.of(SCHEMA, rows(9, 10))).replaceFirst("\"type\" : \"int64\"", "\"type\" : \"decimal\"");
        assertThatThrownBy(() -> ProfileJson.read(badType)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("feature 'age'").hasMessageContaining("type was 'decimal'");
    }

    @Test
    void aFeatureWithoutValuesSnapshotsMergesAndRoundTrips() {
        ProfileAccumulator empty = ProfileAccumulator.forSchema(SCHEMA);
        DatasetProfile none = empty.snapshot();
        assertThat(none.rowCount()).isZero();
        empty.add(Map.of());
        DatasetProfile nulls = empty.snapshot();
        assertThat(nulls.feature("income").orElseThrow().nullRate()).isEqualTo(1.0);
        DatasetProfile merged = nulls.merge(Profiles.of(SCHEMA, rows(10, 100))).merge(none);
        assertThat(merged.feature("income").orElseThrow().count()).isEqualTo(101);
        assertThat(ProfileJson.read(ProfileJson.write(none)).rowCount()).isZero();
        assertThat(ProfileJson.read(ProfileJson.write(merged)).feature("income").orElseThrow().nullCount()).isEqualTo(1);
    }

    @Test
    void mergingProfilesOfDifferentTypesIsRefused() {
        DatasetProfile a = Profiles.of(List.of(Row.of("x", 1L)));
        DatasetProfile b = Profiles.of(List.of(Row.of("x", "one")));
        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("feature 'x' was profiled as string");
    }
}
