package org.clinloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CallerTextTest {

    @Test
    void textWithinTheCapIsKeptExactly() {
        String text = "x".repeat(CallerText.MAX_CHARS);
        assertThat(CallerText.capped(text)).isSameAs(text);
        assertThat(CallerText.capped(null)).isNull();
        assertThat(CallerText.capped("")).isEmpty();
    }

    @Test
    void longerTextKeepsItsStartAndSaysItWasCutAndHowLongItWas() {
        String capped = CallerText.capped("a".repeat(1_000_000));
        assertThat(capped).startsWith("a".repeat(CallerText.MAX_CHARS) + " …[cut: 1000000 characters in all]")
                .hasSize(CallerText.MAX_CHARS + " …[cut: 1000000 characters in all]".length());
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String text = "a".repeat(CallerText.MAX_CHARS - 1) + "😀".repeat(10);
        String capped = CallerText.capped(text);
        assertThat(capped).startsWith("a".repeat(CallerText.MAX_CHARS - 1) + " …[cut: " + text.length());
        assertThat(capped.codePoints().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
    }

    @Test
    void listsKeepTheirFirstItemsAndAMarkerNamingHowManyThereWere() {
        List<String> few = List.of("a", "b");
        assertThat(CallerText.capped(few, n -> "cut " + n)).isSameAs(few);
        List<Map<String, String>> problems = IntStream.range(0, 250)
                .mapToObj(i -> Map.of("message", "problem " + i)).toList();
        List<Map<String, String>> capped = CallerText.capped(problems,
                n -> Map.of("message", CallerText.cutItems(n, "problems")));
        assertThat(capped).hasSize(CallerText.MAX_ITEMS + 1);
        assertThat(capped.subList(0, CallerText.MAX_ITEMS)).isEqualTo(problems.subList(0, CallerText.MAX_ITEMS));
        assertThat(capped.get(CallerText.MAX_ITEMS).get("message"))
                .isEqualTo("…[cut: 250 problems in all, the first 10 kept]");
    }
}
