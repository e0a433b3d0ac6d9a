'use client';
// Tails the live event stream for the admin's scope (Server-Sent Events from the console's relay of the
// Comet event stream). Reconnects with ?since= the last EventID, so a dropped connection leaves no gap.
import { Pause, Play, Trash2 } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Input } from '../../ui/input';
import { eventTypeConstant, useFormat } from '../format';

type StreamEvent = { EventID?: number; Type: number; TypeString: string; Actor: string; OwnerOrganizationID: string; ResourceID: string; Timestamp: number; Data?: unknown };
const KEEP = 500;

export function EventsTail() {
  const t = useTranslations('settings.events');
  const format = useFormatter();
  const f = useFormat();
  const [events, setEvents] = useState<StreamEvent[]>([]);
  const [state, setState] = useState<'connecting' | 'live' | 'denied' | 'reconnecting'>('connecting');
  const [paused, setPaused] = useState(false);
  const [filter, setFilter] = useState('');
  const pausedRef = useRef(false);
  pausedRef.current = paused;

  useEffect(() => {
    let source: EventSource | undefined;
    let lastId: number | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      source = new EventSource(`/settings/events/stream${lastId !== undefined ? `?since=${lastId}` : ''}`);
      source.addEventListener('ready', () => setState('live'));
      source.addEventListener('denied', () => {
        setState('denied');
        source?.close();
      });
      source.addEventListener('event', (m) => {
        const e = JSON.parse((m as MessageEvent).data) as StreamEvent;
        if (typeof e.EventID === 'number') lastId = e.EventID;
        if (pausedRef.current) return;
        setEvents((prev) => [e, ...prev].slice(0, KEEP));
      });
      const reconnect = () => {
        source?.close();
        if (stopped) return;
        setState('reconnecting');
        retry = setTimeout(connect, 1000 + Math.random() * 2000);
      };
      source.addEventListener('closed', reconnect);
      source.onerror = reconnect;
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, []);

  // The filter matches the type's label and its constant name (for integrators), the resource and the actor.
  const shown = filter ? events.filter((e) => `${f.eventType(e.Type, e.TypeString)} ${eventTypeConstant(e.Type, e.TypeString)} ${e.ResourceID} ${e.Actor}`.toLowerCase().includes(filter.toLowerCase())) : events;
  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle className="flex items-center gap-2">
            {t('title')}
            <Badge variant={state === 'live' ? 'success' : state === 'denied' ? 'destructive' : 'secondary'} data-testid="stream-state">
              {t(`state.${state}`)}
            </Badge>
          </CardTitle>
          <CardDescription>{t('description')}</CardDescription>
        </div>
        <span className="flex items-center gap-2">
          <Input aria-label={t('filter')} placeholder={t('filter')} className="h-8 w-48" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <Button variant="outline" size="sm" onClick={() => setPaused(!paused)}>
            {paused ? <Play /> : <Pause />} {paused ? t('resume') : t('pause')}
          </Button>
          <Button variant="outline" size="sm" onClick={() => setEvents([])}>
            <Trash2 /> {t('clear')}
          </Button>
        </span>
      </CardHeader>
      <CardContent>
        {shown.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('waiting')}</p>
        ) : (
          <ol className="divide-y rounded-md border text-sm" data-testid="event-list">
            {shown.map((e, i) => (
              <li key={`${e.EventID ?? 'x'}-${i}`} className="grid gap-1 px-3 py-2">
                <details>
                  <summary className="flex cursor-pointer flex-wrap items-center gap-3">
                    <span className="text-xs tabular-nums text-muted-foreground">{format.dateTime(new Date(e.Timestamp * 1000), { timeStyle: 'medium' })}</span>
                    <span className="font-medium" title={eventTypeConstant(e.Type, e.TypeString) || undefined} data-testid="event-type">
                      {f.eventType(e.Type, e.TypeString)}
                    </span>
                    {e.ResourceID && <span>{e.ResourceID}</span>}
                    <span className="text-xs text-muted-foreground">{t('by', { actor: e.Actor || '—' })}</span>
                  </summary>
                  <pre className="mt-2 max-h-64 overflow-auto rounded bg-muted p-2 text-xs">{JSON.stringify(e, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
