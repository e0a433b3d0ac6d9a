import type { ComponentProps } from 'react';
import { cn } from './cn';

const tones = {
  info: 'border-primary/30 bg-primary/5 text-foreground',
  error: 'border-destructive/40 bg-destructive/5 text-destructive',
  success: 'border-success/40 bg-success/5 text-success',
  warning: 'border-warning/50 bg-warning/10 text-foreground',
} as const;

export function Alert({ tone = 'info', className, ...props }: ComponentProps<'div'> & { tone?: keyof typeof tones }) {
  return <div role={tone === 'error' ? 'alert' : 'status'} className={cn('rounded-md border px-4 py-3 text-sm', tones[tone], className)} {...props} />;
}
