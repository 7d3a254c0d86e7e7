-- Periodic jobs (sweeps, drift checks, fairness reports, tree-head signing) run once per period
-- across every service instance sharing this database: an instance runs a job only if it moves
-- the job's ran_at forward, which one atomic INSERT ... ON CONFLICT DO UPDATE ... WHERE allows
-- to one instance per period.
CREATE TABLE timer_lease (
    job    VARCHAR(64)              NOT NULL PRIMARY KEY,
    ran_at TIMESTAMP WITH TIME ZONE NOT NULL,
    ran_by VARCHAR(200)             NOT NULL
);
