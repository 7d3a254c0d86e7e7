package org.clinloop.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Text a caller chose, as it may enter an audit detail: a refusal's found value, a note, a
 * reference, a request path. The log is immutable, so what a caller can make it keep is capped
 * where such text enters an {@link AuditEvent}: at most {@link #MAX_CHARS} characters of each
 * text and {@link #MAX_ITEMS} items of each list (problems, warnings), each cut marked with what
 * was there in all. Text within the caps is kept exactly, so an entry that was within them before
 * the caps existed encodes to the same bytes. The answer to the request is not cut: the caller
 * still learns everything that was wrong.
 */
public final class CallerText {

    /** Most characters of one caller-chosen text kept in an audit detail. */
    public static final int MAX_CHARS = 400;
    /** Most caller-supplied items (problems, warnings) kept in one audit detail. */
    public static final int MAX_ITEMS = 10;

    private CallerText() {
    }

    /**
     * The text, or its first {@link #MAX_CHARS} characters followed by
     * {@code " …[cut: N characters in all]"}; null stays null.
     */
    public static String capped(String text) {
        if (text == null || text.length() <= MAX_CHARS) {
            return text;
        }
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never keep half of a character
        }
        return text.substring(0, end) + " …[cut: " + text.length() + " characters in all]";
    }

    /**
     * The items, or the first {@link #MAX_ITEMS} followed by one more built by {@code cut} from
     * the number of items in all (say, a problem whose message reads {@link #cutItems}).
     */
    public static <T> List<T> capped(List<T> items, IntFunction<T> cut) {
        if (items.size() <= MAX_ITEMS) {
            return items;
        }
        List<T> kept = new ArrayList<>(items.subList(0, MAX_ITEMS));
        kept.add(cut.apply(items.size()));
        return List.copyOf(kept);
    }

    /** The marker of a cut list: {@code "…[cut: 250 problems in all, the first 10 kept]"}. */
    public static String cutItems(int inAll, String what) {
        return "…[cut: " + inAll + " " + what + " in all, the first " + MAX_ITEMS + " kept]";
    }
}
