package dev.ferry.model;

import dev.ferry.NotFoundException;
import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds the {@link ModelRuntime} for a format among the runtime modules on the classpath. */
public final class ModelRuntimes {

    private static volatile Map<ModelFormat, ModelRuntime> runtimes;

    private ModelRuntimes() {
    }

    public static ModelRuntime runtime(ModelFormat format) {
        ModelRuntime r = all().get(format);
        if (r == null) {
            throw new NotFoundException("no runtime for format " + format + " is on the classpath; add the module "
                    + format.module());
        }
        return r;
    }

    public static boolean available(ModelFormat format) {
        return all().containsKey(format);
    }

    public static Model load(ModelFormat format, ModelLoadRequest request) {
        return runtime(format).load(request);
    }

    private static Map<ModelFormat, ModelRuntime> all() {
        Map<ModelFormat, ModelRuntime> m = runtimes;
        if (m == null) {
            synchronized (ModelRuntimes.class) {
                m = runtimes;
                if (m == null) {
                    m = new EnumMap<>(ModelFormat.class);
                    for (ModelRuntime r : ServiceLoader.load(ModelRuntime.class, ModelRuntimes.class.getClassLoader())) {
                        m.putIfAbsent(r.format(), r);
                    }
                    runtimes = m;
                }
            }
        }
        return m;
    }
}
