-- What an active deployment is doing (DeploymentPhase), written before the phase's first act so that a
-- restarted control plane continues it; DONE once the deployment has finished, and only then.
ALTER TABLE deployments ADD COLUMN phase VARCHAR(32) DEFAULT 'STARTING' NOT NULL;

UPDATE deployments SET phase = 'DONE' WHERE active_service IS NULL;

ALTER TABLE deployments ADD CONSTRAINT deployments_phase_ck CHECK (
    (phase IN ('STARTING', 'SHIFTING', 'PAUSING', 'ANALYSING', 'RETIRING', 'PROMOTING', 'HOLDING', 'ROLLING_BACK')
        AND active_service IS NOT NULL)
    OR (phase = 'DONE' AND active_service IS NULL));
