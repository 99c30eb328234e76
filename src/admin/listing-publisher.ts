import type { Catalog } from '../catalog/index.js';
import type { SourceListing } from '../shared/index.js';

/**
 * Puts upstream listings into the catalogue without the tools an admin disabled. The filter runs when
 * a listing arrives or the disabled set changes, never per request; the unfiltered listing is kept for
 * the admin view of a server's tools.
 */
export interface ListingPublisher {
  publish(server: string, listing: SourceListing): void;
  down(server: string): void;
  /** Re-publish the servers whose disabled tools changed since their last publication. */
  refilter(): void;
  /** The unfiltered listing of a connected server. */
  listing(server: string): SourceListing | undefined;
  /** Publish a server's last listing again (a trust decision changed what it may show). */
  republish(server: string): void;
}

/**
 * `review` (trust pinning) sees every listing first and returns what may be shown; it is synchronous
 * and in memory, so pending or changed definitions never reach the catalogue.
 */
export function createListingPublisher(catalog: Catalog, disabledTools: (server: string) => readonly string[], review: (server: string, listing: SourceListing) => SourceListing = (_s, l) => l): ListingPublisher {
  const listings = new Map<string, SourceListing>();
  const published = new Map<string, string>();
  const keyOf = (server: string) => [...disabledTools(server)].sort().join('\n');

  function filtered(server: string, raw: SourceListing): SourceListing {
    const listing = review(server, raw);
    const off = new Set(disabledTools(server));
    published.set(server, keyOf(server));
    return off.size ? { ...listing, tools: listing.tools.filter((t) => !off.has(String(t['name']))) } : listing;
  }

  return {
    publish(server, listing) {
      listings.set(server, listing);
      catalog.setSource(server, filtered(server, listing));
    },
    down(server) {
      listings.delete(server);
      published.delete(server);
      catalog.removeSource(server);
    },
    refilter() {
      for (const [server, listing] of listings) if (published.get(server) !== keyOf(server)) catalog.setSource(server, filtered(server, listing));
    },
    listing: (server) => listings.get(server),
    republish(server) {
      const listing = listings.get(server);
      if (listing) catalog.setSource(server, filtered(server, listing));
    },
  };
}
