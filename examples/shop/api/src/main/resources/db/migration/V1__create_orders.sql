CREATE TABLE orders (
  id           bigserial PRIMARY KEY,
  item         text        NOT NULL,
  quantity     integer     NOT NULL CHECK (quantity > 0),
  status       text        NOT NULL DEFAULT 'PLACED',
  created_at   timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);

-- The worker's periodic sweep looks for orders still PLACED; keep that cheap as the table grows.
CREATE INDEX orders_placed_idx ON orders (created_at) WHERE status = 'PLACED';
