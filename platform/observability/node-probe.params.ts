/** fastest-validator schema of $node.observe: no params. */
export const observeParams = { $$strict: "remove" } as const;
