'use client';
// Tells the server the browser's time zone (a cookie read by lib/adapters/i18n/request.ts), so dates are
// rendered in the admin's zone; refreshes once when the zone the page was rendered in differs.
import { useTimeZone } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { TIME_ZONE_COOKIE } from '../../lib/i18n/time-zone';

export function TimeZoneSync() {
  const rendered = useTimeZone();
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === rendered) return;
    // Already told: the server may spell the zone differently ("Etc/UTC" is "UTC"), so never refresh twice.
    const told = document.cookie.split('; ').find((c) => c.startsWith(`${TIME_ZONE_COOKIE}=`));
    if (told && decodeURIComponent(told.slice(TIME_ZONE_COOKIE.length + 1)) === zone) return;
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [rendered, router]);
  return null;
}
