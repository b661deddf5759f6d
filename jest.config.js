/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
    // jose is ESM-only; compile it to CommonJS for jest (Node itself require()s it natively).
    "/node_modules/jose/.+\\.js$": [
      "ts-jest",
      { tsconfig: { allowJs: true, module: "commonjs" }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ["/node_modules/(?!jose/)"],
  setupFiles: ["<rootDir>/test/setup-env.ts"],
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
  testTimeout: 60_000,
  // Brokers and child processes must be stopped by each suite; fail loudly if not.
  forceExit: false,
  detectOpenHandles: false,
};
