package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorPagesTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream before;

    @BeforeEach
    void captureLog() {
        before = Log.to(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        Log.to(before);
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void proxyError_tellsTheClientOnlyTheStatusAndAnId_theLogGetsTheCause() {
        ByteBuf page = ErrorPages.proxyError(503, "no active backend of version r3 for service api", false, null);
        String text = page.toString(StandardCharsets.UTF_8);
        page.release();
        String id = text.substring(text.indexOf("x-slipway-request-id: ") + 22, text.indexOf("x-slipway-request-id: ") + 30);
        assertThat(id).matches("[0-9a-f]{8}");
        assertThat(text).startsWith("HTTP/1.1 503 Service Unavailable\r\n").contains("connection: close\r\n")
                .endsWith("\r\n\r\n503 Service Unavailable: the service is not available (request id " + id + ")\n")
                .doesNotContain("r3").doesNotContain("api");
        assertThat(lines()).singleElement().asString()
                .endsWith("WARN  request " + id + " answered 503: no active backend of version r3 for service api");
    }

    @Test
    void log_keepsToAFixedNumberOfLinesASecond_thenCountsTheRest() {
        long second = 1_000_000 + System.nanoTime() / 1_000_000_000L; // a second no other test logged in
        for (int i = 0; i < ErrorPages.LINES_PER_SECOND + 10; i++) {
            ErrorPages.log("id" + i, 502, "cause " + i, second);
        }
        assertThat(lines()).hasSize(ErrorPages.LINES_PER_SECOND);
        ErrorPages.log("next", 502, "cause next", second + 1);
        assertThat(lines()).hasSize(ErrorPages.LINES_PER_SECOND + 2);
        assertThat(lines().get(ErrorPages.LINES_PER_SECOND))
                .endsWith("WARN  10 more failed requests were not logged (at most 50 a second)");
        assertThat(lines().getLast()).endsWith("request next answered 502: cause next");
    }
}
