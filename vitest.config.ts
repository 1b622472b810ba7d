import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'protocols',
      'agent',
      'hub',
      {
        resolve: { conditions: ['source'] },
        ssr: { resolve: { conditions: ['source'] } },
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
