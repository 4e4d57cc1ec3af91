package dev.ferry.cli;

import dev.ferry.features.Entity;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.JoinKey;
import dev.ferry.features.RegisteredView;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ViewPointers;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.serving.OnlineStoreFeatureFetcher;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Builds the embedded or production pieces the commands share, from their options. */
public final class Wiring {

    private Wiring() {
    }

    /** {@code rocksdb} (the default: {@code <data-dir>/online}), or a {@code redis://} URI, or {@code redis-cluster://host:port,...}. */
    public static OnlineStore onlineStore(String spec, Path dataDir, Clock clock) {
        if (spec == null || spec.isBlank() || spec.equals("rocksdb")) {
            return RocksDbOnlineStore.open(dataDir.resolve("online"), clock);
        }
        if (spec.startsWith("redis-cluster://")) {
            List<String> seeds = new ArrayList<>();
            for (String hostPort : spec.substring("redis-cluster://".length()).split(",")) {
                seeds.add("redis://" + hostPort);
            }
            return RedisOnlineStore.connect(RedisOnlineStoreConfig.cluster(seeds), clock);
        }
        if (spec.startsWith("redis://") || spec.startsWith("rediss://")) {
            return RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(spec), clock);
        }
        throw new dev.ferry.InvalidInputException("--online was '" + spec
                + "' but it must be rocksdb, redis://host:port or redis-cluster://host:port,host:port");
    }

    public static FeatureRegistry features(Path dataDir) {
        return FeatureRegistry.open(dataDir.resolve("features"));
    }

    /** The online views of the registry's latest view versions, as the serving engine reads them. */
    public static List<OnlineStoreFeatureFetcher.OnlineView> onlineViews(FeatureRegistry registry) {
        List<OnlineStoreFeatureFetcher.OnlineView> out = new ArrayList<>();
        for (RegisteredView rv : registry.views()) {
            if (!rv.view().online()) {
                continue;
            }
            List<Field> keys = new ArrayList<>();
            for (String e : rv.view().entities()) {
                Entity entity = registry.entity(e).orElseThrow();
                for (JoinKey k : entity.joinKeys()) {
                    keys.add(Field.required(k.name(), FeatureType.of(k.type())));
                }
            }
            out.add(new OnlineStoreFeatureFetcher.OnlineView(rv.name(), rv.ref(), keys, rv.view().schema().names(),
                    rv.view().maxAge()));
        }
        return out;
    }

    /**
     * The read API of the online store over the registry's latest online views and its feature
     * services, plus the views batch jobs publish (each read resolves their current version).
     */
    public static dev.ferry.serving.OnlineFeatures onlineFeatures(FeatureRegistry registry, OnlineStore store) {
        List<dev.ferry.serving.OnlineFeatures.Service> services = new ArrayList<>();
        for (dev.ferry.features.FeatureService s : registry.services()) {
            services.add(new dev.ferry.serving.OnlineFeatures.Service(s.name(),
                    s.features().stream().map(dev.ferry.features.FeatureRef::toString).toList()));
        }
        ViewPointers pointers = ViewPointers.in(store, Clock.systemUTC());
        List<OnlineStoreFeatureFetcher.OnlineView> views = publishedViews(pointers);
        views.addAll(onlineViews(registry));
        return new dev.ferry.serving.OnlineFeatures(store, views, services, pointers);
    }

    /** The views batch jobs have published into the store, at their current versions. */
    public static List<OnlineStoreFeatureFetcher.OnlineView> publishedViews(ViewPointers pointers) {
        List<OnlineStoreFeatureFetcher.OnlineView> out = new ArrayList<>();
        List<String> names = pointers.names();
        if (names.isEmpty()) {
            return out;
        }
        for (java.util.Optional<ViewPointers.Pointer> p : pointers.getAll(names)) {
            p.ifPresent(x -> out.add(new OnlineStoreFeatureFetcher.OnlineView(x.name(), x.onlineName(), x.joinKeys(), x.features(),
                    java.util.Optional.empty())));
        }
        return out;
    }
}
