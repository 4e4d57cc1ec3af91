package dev.ferry.features.materialize;

import dev.ferry.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.UnavailableException;
import dev.ferry.ValidationFailedException;
import dev.ferry.features.OfflineStore;
import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.InMemoryOnlineStore;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaterializerTest {

    static final int DRIVERS = 50;

    @TempDir
    Path dir;

    TripsFixture fixture;
    MutableClock clock;
    OfflineStore offline;
    InMemoryOnlineStore online;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new TripsFixture(dir);
        fixture.append(400, DRIVERS, TripsFixture.T0, Duration.ofDays(10));
        clock = new MutableClock(TripsFixture.T0.plus(Duration.ofDays(10)));
        fixture.apply(clock);
        offline = OfflineStore.open(fixture.registry, clock);
        online = new InMemoryOnlineStore(clock);
    }

    @AfterEach
    void tearDown() {
        offline.close();
    }

    Materializer materializer(OnlineStore store) {
        return materializer(store, 64);
    }

    Materializer materializer(OnlineStore store, int batchSize) {
        return Materializer.builder().registry(fixture.registry).offline(offline).online(store)
                .watermarks(Watermarks.in(fixture.registryDir)).clock(clock).batchSize(batchSize).build();
    }

    @Test
    void theLatestRowOfEveryEntityInTheRangeLandsInTheVersionedOnlineView() {
        MaterializationResult r = materializer(online).materialize("driver_trips", Materializer.BEGINNING, clock.instant(), ProgressListener.NONE);

        assertThat(r.view()).isEqualTo("driver_trips@1");
        assertThat(r.rows()).isEqualTo(fixture.latest.size());
        OnlineSnapshot.assertMatches(online, "driver_trips@1", fixture, DRIVERS);
        assertThat(online.read("driver_trips", List.of(EntityKey.of(0L)), List.of("trips")).getFirst().get("trips").isFresh()).isFalse();
    }

    @Test
    void onlyRowsWithEventTimeInsideTheRangeAreConsidered() {
        Instant cut = TripsFixture.T0.plus(Duration.ofDays(5));
        materializer(online).materialize("driver_trips", TripsFixture.T0, cut, ProgressListener.NONE);

        for (EntityFeatures e : online.read("driver_trips@1", List.of(EntityKey.of(0L), EntityKey.of(1L), EntityKey.of(2L)), List.of("trips"))) {
            e.get("trips").eventTime().ifPresent(t -> assertThat(t).isBefore(cut));
        }
    }

    @Test
    void runningTheSameMaterializationTwiceChangesNothing() {
        Materializer m = materializer(online);
        m.materialize("driver_trips", Materializer.BEGINNING, clock.instant(), ProgressListener.NONE);
        var before = OnlineSnapshot.read(online, "driver_trips@1", DRIVERS);

        MaterializationResult again = m.materialize("driver_trips", Materializer.BEGINNING, clock.instant(), ProgressListener.NONE);

        assertThat(again.rows()).isEqualTo(fixture.latest.size());
        assertThat(OnlineSnapshot.read(online, "driver_trips@1", DRIVERS)).isEqualTo(before);
    }

    @Test
    void progressCountsUpToTheNumberOfEntitiesInBatches() {
        List<long[]> calls = new ArrayList<>();
        materializer(online).materialize("driver_trips", Materializer.BEGINNING, clock.instant(), (done, total) -> calls.add(new long[] {done, total}));

        long entities = fixture.latest.size();
        assertThat(calls.getFirst()).containsExactly(0, entities);
        assertThat(calls.getLast()).containsExactly(entities, entities);
        assertThat(calls).hasSize(1 + (int) Math.ceil(entities / 64.0));
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[0]).isGreaterThan(calls.get(i - 1)[0]).isLessThanOrEqualTo(calls.get(i)[1]);
        }
    }

    @Test
    void anIncrementalRunWritesOnlyWhatArrivedSinceTheWatermarkAndMovesIt() throws Exception {
        Materializer m = materializer(online);
        Instant firstEnd = clock.instant();
        MaterializationResult first = m.materializeIncremental("driver_trips", ProgressListener.NONE);
        assertThat(first.from()).isEqualTo(Materializer.BEGINNING);
        assertThat(Watermarks.in(fixture.registryDir).get("driver_trips@1").orElseThrow().watermark()).isEqualTo(firstEnd);

        fixture.append(30, 10, firstEnd, Duration.ofHours(1));
        clock.advance(Duration.ofHours(2));
        MaterializationResult second = m.materializeIncremental("driver_trips", ProgressListener.NONE);

        assertThat(second.from()).isEqualTo(firstEnd);
        assertThat(second.rows()).isEqualTo(fixture.latest.values().stream().filter(t -> !t.time().isBefore(firstEnd)).count());
        assertThat(Watermarks.in(fixture.registryDir).get("driver_trips@1").orElseThrow().watermark()).isEqualTo(clock.instant());
        OnlineSnapshot.assertMatches(online, "driver_trips@1", fixture, DRIVERS);

        MaterializationResult third = m.materializeIncremental("driver_trips", ProgressListener.NONE);
        assertThat(third.rows()).isZero();
    }

    @Test
    void aWriteThatFailsHalfWayLeavesTheWatermarkSoTheNextRunRedoesTheWork() {
        AtomicInteger writes = new AtomicInteger();
        OnlineStore failing = new Forwarding(online) {
            @Override
            public void write(String view, Collection<OnlineRecord> records) {
                if (writes.incrementAndGet() == 2) {
                    throw new UnavailableException("online store went away");
                }
                super.write(view, records);
            }
        };
        assertThatThrownBy(() -> materializer(failing, 16).materializeIncremental("driver_trips", ProgressListener.NONE))
                .isInstanceOf(UnavailableException.class);
        assertThat(Watermarks.in(fixture.registryDir).get("driver_trips@1")).isEmpty();

        MaterializationResult retry = materializer(online).materializeIncremental("driver_trips", ProgressListener.NONE);

        assertThat(writes.get()).isEqualTo(2);
        assertThat(retry.rows()).isEqualTo(fixture.latest.size());
        OnlineSnapshot.assertMatches(online, "driver_trips@1", fixture, DRIVERS);
    }

    @Test
    void aNewViewVersionIsWrittenUnderItsOwnOnlineNameAndHasItsOwnWatermark() {
        materializer(online).materializeIncremental("driver_trips", ProgressListener.NONE);
        fixture.apply(clock, "float32");
        assertThat(fixture.registry.view("driver_trips").version()).isEqualTo(2);
        assertThat(Watermarks.in(fixture.registryDir).get("driver_trips@2")).isEmpty();

        MaterializationResult r = materializer(online).materializeIncremental("driver_trips", ProgressListener.NONE);

        assertThat(r.view()).isEqualTo("driver_trips@2");
        assertThat(r.rows()).isEqualTo(fixture.latest.size());
        assertThat(Watermarks.in(fixture.registryDir).get("driver_trips@1")).isPresent();
        TripsFixture.Trip any = fixture.latest.values().iterator().next();
        var v2 = online.read("driver_trips@2", List.of(EntityKey.of(any.driver())), List.of("rating")).getFirst().get("rating");
        var v1 = online.read("driver_trips@1", List.of(EntityKey.of(any.driver())), List.of("rating")).getFirst().get("rating");
        assertThat(v2.value()).isEqualTo((float) any.rating());
        assertThat(v1.value()).isEqualTo(any.rating());
    }

    @Test
    void aWatermarkOfAnUnknownFormatIsRefusedNamingFoundAndExpected() throws Exception {
        Watermarks w = Watermarks.in(fixture.registryDir);
        Files.createDirectories(w.directory());
        Files.writeString(w.directory().resolve("driver_trips@1.json"), "{\"format\": 7, \"view\": \"driver_trips@1\"}");

        assertThatThrownBy(() -> materializer(online).materializeIncremental("driver_trips", ProgressListener.NONE))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("format 7").hasMessageContaining("reads format 1");
    }

    @Test
    void aWatermarkSurvivesReopeningAndRecordsTheRowsOfTheRun() {
        materializer(online).materializeIncremental("driver_trips", ProgressListener.NONE);

        Watermark w = Watermarks.in(fixture.registryDir).get("driver_trips@1").orElseThrow();
        assertThat(w.rows()).isEqualTo(fixture.latest.size());
        assertThat(w.updatedAt()).isEqualTo(clock.instant());
    }

    /** An online store that forwards to another, so a test can make one call fail. */
    static class Forwarding implements OnlineStore {
        private final OnlineStore delegate;

        Forwarding(OnlineStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(String view, Collection<OnlineRecord> records) {
            delegate.write(view, records);
        }

        @Override
        public List<EntityFeatures> read(String view, List<EntityKey> keys, List<String> features, Duration maxAge) {
            return delegate.read(view, keys, features, maxAge);
        }

        @Override
        public void dropView(String view) {
            delegate.dropView(view);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
