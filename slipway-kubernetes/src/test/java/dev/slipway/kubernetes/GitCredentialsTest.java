package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCredentialsTest {
  @TempDir Path tmp;

  @Test
  void findsTheStoredLineForTheRepositorysHost_decodingItsUserAndToken() throws Exception {
    Path store = tmp.resolve(".git-credentials");
    Files.writeString(store, """
        https://someone:other@gitlab.example.com
        https://alice:tok%2Fen@github.com
        https://bob:narrower@github.com/other-org
        """);
    GitCredentials c = new GitCredentials(store);
    CredentialItem.Username user = new CredentialItem.Username();
    CredentialItem.Password password = new CredentialItem.Password();

    assertThat(c.get(new URIish("https://github.com/acme/deploy.git"), user, password)).isTrue();

    assertThat(user.getValue()).isEqualTo("alice");
    assertThat(new String(password.getValue())).isEqualTo("tok/en");
    assertThat(c.find(new URIish("https://github.com/other-org/x.git"))).containsExactly("alice", "tok/en");
    assertThat(c.find(new URIish("http://github.com/acme/deploy.git"))).isNull();
    assertThat(c.find(new URIish("https://example.org/acme/deploy.git"))).isNull();
    assertThat(new GitCredentials(tmp.resolve("missing")).find(new URIish("https://github.com/a/b"))).isNull();
  }

  @Test
  void sshUrls_goThroughJGitsSshClient_whichReadsTheUsersSshConfig() {
    // Without the ssh module on the class path JGit has no session factory and every git@host: URL fails.
    assertThat(org.eclipse.jgit.transport.SshSessionFactory.getInstance().getClass().getName())
        .isEqualTo("org.eclipse.jgit.transport.sshd.SshdSessionFactory");
  }
}
