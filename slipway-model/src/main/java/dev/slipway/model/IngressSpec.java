package dev.slipway.model;

/** Public exposure of a service: {@code ingress: { host: shop.example.com, path: /api }}. */
public record IngressSpec(String host, String path) {}
