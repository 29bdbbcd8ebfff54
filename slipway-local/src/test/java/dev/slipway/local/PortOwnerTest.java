package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortOwnerTest {

  @Test
  void listeningInode_readsOnlyListeningSocketsOfThePort() {
    String listen = "   1: 0100007F:A2F1 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 123456 1";
    String established = "   2: 0100007F:A2F1 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 654321 1";
    assertThat(PortOwner.listeningInode(listen, 0xA2F1)).isEqualTo("123456");
    assertThat(PortOwner.listeningInode(listen, 0xA2F2)).isNull();
    assertThat(PortOwner.listeningInode(established, 0xA2F1)).isNull();
    assertThat(PortOwner.listeningInode("  sl  local_address rem_address   st tx_queue rx_queue", 0xA2F1)).isNull();
  }

  @Test
  void listens_isTrueOnlyForTheProcessHoldingThePort() throws Exception {
    long self = ProcessHandle.current().pid();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(PortOwner.listens(self, s.getLocalPort())).contains(true);
      Process other = new ProcessBuilder("sleep", "30").start();
      try {
        assertThat(PortOwner.listens(other.pid(), s.getLocalPort())).as("another process").contains(false);
      } finally {
        other.destroyForcibly().waitFor();
      }
      int port = s.getLocalPort();
      s.close();
      assertThat(PortOwner.listens(self, port)).as("once closed").contains(false);
    }
  }
}
