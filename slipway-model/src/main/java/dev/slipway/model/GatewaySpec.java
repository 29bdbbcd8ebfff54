package dev.slipway.model;

/**
 * The Gateway API {@code Gateway} an environment's services are exposed through
 * ({@code gateway: { name: public, namespace: gateways }}). With one, each service's {@code ingress}
 * becomes an {@code HTTPRoute} attached to it instead of an {@code Ingress}.
 *
 * @param name      the Gateway's name (a DNS label)
 * @param namespace the Gateway's namespace, or {@code null} for the environment's own namespace
 */
public record GatewaySpec(String name, String namespace) {}
