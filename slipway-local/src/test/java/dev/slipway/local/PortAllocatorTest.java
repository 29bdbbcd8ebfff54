package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortAllocatorTest {

  @TempDir
  Path dir;

  @Test
  void allocate_sameOwnerInANewSession_getsItsPortBack() throws Exception {
    Path file = dir.resolve("ports.json");
    int first = new PortAllocator(file).allocate("api-1");

    assertThat(new PortAllocator(file).allocate("api-1")).isEqualTo(first);
  }

  @Test
  void allocate_whenTheRememberedPortIsInUse_returnsAnotherFreeOne() throws Exception {
    Path file = dir.resolve("ports.json");
    int remembered = new PortAllocator(file).allocate("api-1");
    try (ServerSocket squatter = new ServerSocket(remembered, 1, InetAddress.getLoopbackAddress())) {
      assertThat(squatter.isBound()).isTrue();
      int port = new PortAllocator(file).allocate("api-1");

      assertThat(port).isNotEqualTo(remembered);
      assertThat(PortAllocator.isFree(port)).isTrue();
      assertThat(PortAllocator.isFree(remembered)).isFalse();
    }
  }

  @Test
  void allocate_manyOwnersInOneSession_neverHandsOutAPortTwice() throws Exception {
    PortAllocator ports = new PortAllocator(dir.resolve("ports.json"));
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      assertThat(seen.add(ports.allocate("owner-" + i))).isTrue();
    }
  }

  @Test
  void allocate_sameOwnerTwiceInOneSession_getsTwoDifferentPorts() throws Exception {
    PortAllocator ports = new PortAllocator(dir.resolve("ports.json"));
    assertThat(ports.allocate("api")).isNotEqualTo(ports.allocate("api"));
  }

  @Test
  void allocate_withReuseOwn_givesAnOwnerItsFreePortAgainInTheSameSession() throws Exception {
    PortAllocator ports = new PortAllocator(dir.resolve("ports.json"));
    int first = ports.allocate("resources.db", true);

    assertThat(ports.allocate("resources.db", true)).isEqualTo(first);
    assertThat(ports.allocate("resources.cache", true)).isNotEqualTo(first);
  }
}
