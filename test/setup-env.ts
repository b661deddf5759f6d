// Runs before every test file: the gateway picks a free port, stores are in
// memory unless a suite asks for files, and logs stay quiet.
process.env.NODE_ENV = "test";
process.env.PORT ??= "0";
process.env.LOGLEVEL ??= "warn";
