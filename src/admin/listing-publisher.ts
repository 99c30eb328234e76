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
}

export function createListingPublisher(catalog: Catalog, disabledTools: (server: string) => readonly string[]): ListingPublisher {
  const listings = new Map<string, SourceListing>();
  const published = new Map<string, string>();
  const keyOf = (server: string) => [...disabledTools(server)].sort().join('\n');

  function filtered(server: string, listing: SourceListing): SourceListing {
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
  };
}
