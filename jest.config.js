/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
    // ESM-only packages (jose; swagger-parser's ref parser) are compiled to CommonJS for jest.
    // Node itself require()s them natively.
    "/node_modules/(jose|@apidevtools/json-schema-ref-parser)/.+\\.js$": [
      "ts-jest",
      { tsconfig: { allowJs: true, module: "commonjs" }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ["/node_modules/(?!(jose|@apidevtools/json-schema-ref-parser)/)"],
  setupFiles: ["<rootDir>/test/setup-env.ts"],
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
  testTimeout: 60_000,
  // Suites stop their brokers and processes; forceExit keeps one missed handle
  // (a pseudo-terminal, a socket in TIME_WAIT) from hanging CI.
  forceExit: true,
  detectOpenHandles: false,
};
