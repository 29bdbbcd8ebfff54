package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbacRulesTest {
  private static final Path ROLE = Path.of("..").toAbsolutePath().normalize().resolve(RbacRules.ROLE_FILE);

  @Test
  void theDocumentedRole_isTheRendering() throws Exception {
    assertThat(Files.readString(ROLE))
        .as("%s is rendered from RbacRules; write RbacRules.roleYaml() into it", RbacRules.ROLE_FILE)
        .isEqualTo(RbacRules.roleYaml());
  }

  @Test
  void theDocumentedRole_isAValidRbacV1Role_withEveryNamespacedRule() throws Exception {
    Role role = new KubernetesSerialization().unmarshal(Files.readString(ROLE), Role.class);
    assertThat(role.getApiVersion()).isEqualTo("rbac.authorization.k8s.io/v1");
    assertThat(role.getKind()).isEqualTo("Role");
    assertThat(role.getMetadata().getName()).isEqualTo("slipway");
    for (RbacRules.Rule r : RbacRules.RULES) {
      boolean inRole = role.getRules().stream().anyMatch(p -> grants(p, r.apiGroup(), r.resources(), r.verbs()));
      assertThat(inRole).as("%s in the Role", r).isEqualTo(!r.clusterScoped());
    }
  }

  /** The table in docs/kubernetes.md's RBAC section names each namespaced rule's resources and verbs. */
  @Test
  void theDocumentedTable_listsEveryNamespacedRule() throws Exception {
    String doc = Files.readString(ROLE.resolveSibling("kubernetes.md"));
    String section = doc.substring(doc.indexOf("## RBAC"), doc.indexOf("\n## ", doc.indexOf("## RBAC") + 1));
    List<String> rows = section.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| API group")).toList();
    for (RbacRules.Rule r : RbacRules.RULES) {
      if (r.clusterScoped()) {
        continue;
      }
      String group = r.apiGroup().isEmpty() ? "core" : r.apiGroup();
      String verbs = r.verbs().size() == 7 ? "all" : String.join(", ", r.verbs());
      for (String resource : r.resources()) {
        assertThat(rows).as("a row of the RBAC table for %s %s (%s)", group, resource, verbs)
            .anyMatch(l -> l.startsWith("| " + group + " |") && java.util.Arrays.asList(l.split("\\|")[2].split(","))
                .stream().map(String::strip).toList().contains(resource) && l.split("\\|")[3].strip().equals(verbs));
      }
    }
  }

  @Test
  void theRole_coversWhatSlipwayTouches() {
    for (String[] need : new String[][] {
        {"apps", "deployments", "patch"}, {"", "services", "create"}, {"", "configmaps", "update"},
        {"", "secrets", "list"}, {"", "pods", "watch"}, {"", "pods/log", "get"}, {"discovery.k8s.io", "endpointslices", "watch"},
        {"coordination.k8s.io", "leases", "update"}, {"gateway.networking.k8s.io", "httproutes", "patch"},
        {"networking.k8s.io", "ingresses", "patch"}, {"networking.k8s.io", "networkpolicies", "create"},
        {"policy", "poddisruptionbudgets", "create"}, {"autoscaling", "horizontalpodautoscalers", "create"},
        {"apps", "statefulsets", "create"}, {"external-secrets.io", "externalsecrets", "create"}, {"", "events", "list"},
        {"", "services/proxy", "get"}}) {
      assertThat(RbacRules.forResource(need[0], need[1])).as(String.join(" ", need))
          .hasValueSatisfying(r -> assertThat(r.verbs()).contains(need[2]));
    }
    assertThat(RbacRules.clusterScoped("namespaces")).isTrue();
    assertThat(RbacRules.clusterScoped("deployments")).isFalse();
  }

  @Test
  void theMissingRule_isOneRoleRule_forTheRefusedResource() throws Exception {
    String rule = RbacRules.missing(null, "deployments", "patch");
    assertThat(rule).isEqualTo("""
        - apiGroups: ["apps"]
          resources: ["deployments"]
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
        """);
    Role parsed = new KubernetesSerialization().unmarshal(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: x}\nrules:\n" + rule, Role.class);
    assertThat(parsed.getRules()).hasSize(1);
    assertThat(RbacRules.missing("example.com", "widgets", "get")).contains("[\"example.com\"]", "[\"widgets\"]", "[\"get\"]");
  }

  private static boolean grants(PolicyRule p, String group, List<String> resources, List<String> verbs) {
    return p.getApiGroups().contains(group) && p.getResources().containsAll(resources) && p.getVerbs().containsAll(verbs);
  }
}
