package dev.slipway.examples.orders;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link FaultProperties} to every request except Actuator's: a faulty release still
 * reports healthy, as a real bad release would. Runs inside Spring's observation filter, so the
 * injected errors and delays show in {@code http_server_requests} like real ones.
 */
@Component
class FaultInjectionFilter extends OncePerRequestFilter {

  private final FaultProperties faults;

  FaultInjectionFilter(FaultProperties faults) {
    if (faults.crashOnStart()) {
      throw new IllegalStateException("FAULT_CRASH_ON_START is set: refusing to start");
    }
    this.faults = faults;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return request.getRequestURI().startsWith("/actuator/");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (faults.latencyMs() > 0) {
      try {
        Thread.sleep(faults.latencyMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServletException("interrupted while injecting latency", e);
      }
    }
    if (faults.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < faults.errorRate()) {
      response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response.setCharacterEncoding("UTF-8");
      response.getWriter().write("{\"error\":\"injected fault (FAULT_ERROR_RATE=" + faults.errorRate() + ")\"}");
      return;
    }
    chain.doFilter(request, response);
  }
}
