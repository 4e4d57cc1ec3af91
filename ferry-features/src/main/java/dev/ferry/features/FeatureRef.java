package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A reference to one feature ({@code view:feature}), to every feature of a view ({@code view}),
 * optionally pinned to a registered version ({@code view@2:feature}). Unpinned references use the
 * latest version.
 */
public record FeatureRef(String view, OptionalInt version, Optional<String> feature) {

    public FeatureRef {
        if (!Names.valid(view)) {
            throw new InvalidInputException("feature reference view was '" + view + "' but it must be a view name");
        }
        if (version.isPresent() && version.getAsInt() < 1) {
            throw new InvalidInputException("feature reference version was " + version.getAsInt() + " but versions start at 1");
        }
    }

    /** Parses {@code view}, {@code view:feature}, {@code view@3} or {@code view@3:feature}. */
    public static FeatureRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("feature reference was '" + text + "' but it must look like view:feature or view");
        }
        String t = text.trim();
        int colon = t.indexOf(':');
        String viewPart = colon < 0 ? t : t.substring(0, colon);
        Optional<String> feature = colon < 0 ? Optional.empty() : Optional.of(t.substring(colon + 1));
        if (feature.isPresent() && feature.get().isBlank()) {
            throw new InvalidInputException("feature reference was '" + text + "' but the feature after ':' is empty");
        }
        int at = viewPart.indexOf('@');
        OptionalInt version = OptionalInt.empty();
        if (at >= 0) {
            try {
                version = OptionalInt.of(Integer.parseInt(viewPart.substring(at + 1)));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("feature reference was '" + text + "' but the version after '@' must be a number");
            }
            viewPart = viewPart.substring(0, at);
        }
        return new FeatureRef(viewPart, version, feature);
    }

    public boolean wholeView() {
        return feature.isEmpty();
    }

    @Override
    public String toString() {
        return view + (version.isPresent() ? "@" + version.getAsInt() : "") + feature.map(f -> ":" + f).orElse("");
    }
}
