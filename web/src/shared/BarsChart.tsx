import { useEffect, useRef } from 'react';
// echarts 5's type declarations do not resolve under NodeNext (extensionless relative imports in an
// ES module package), so the little used here is typed by hand. Named imports keep the bundle to the
// bar chart, its grid, legend and tooltip and the SVG renderer; the pages that show it load it lazily
// (survey results, the match register's progress).
// @ts-expect-error -- untyped under NodeNext, see above
import { init, use } from 'echarts/core';
// @ts-expect-error -- untyped under NodeNext, see above
import { BarChart } from 'echarts/charts';
// @ts-expect-error -- untyped under NodeNext, see above
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
// @ts-expect-error -- untyped under NodeNext, see above
import { SVGRenderer } from 'echarts/renderers';

interface Chart {
  setOption(option: object): void;
  resize(): void;
  dispose(): void;
}
const echarts = { use, init } as { use(parts: unknown[]): void; init(el: HTMLElement, theme: undefined, opts: { renderer: 'svg' }): Chart };
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: (number | null)[];
}

/**
 * A horizontal bar chart (ECharts, SVG). It is a picture of the table shown beside it, which holds
 * the same figures for screen readers and keyboard users, so the chart itself is one labelled image.
 */
export default function BarsChart({ label, categories, series, stacked = false, percent = true, className }: { label: string; categories: string[]; series: Series[]; stacked?: boolean; percent?: boolean; className: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      aria: { enabled: false },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
      grid: { left: 8, right: 24, top: series.length > 1 ? 36 : 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: percent && !stacked ? 100 : undefined, axisLabel: { formatter: percent ? '{value} %' : '{value}' } },
      yAxis: { type: 'category', data: categories, inverse: true, axisLabel: { width: 180, overflow: 'truncate' } },
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values.map((v) => v ?? '-'), stack: stacked ? 'all' : undefined, barMaxWidth: 28 })),
      color: ['#0059b3', '#3b8a3d', '#b35900', '#7a4fa3', '#a3204a', '#5a6c7a'],
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [categories, series, stacked, percent]);
  const height = Math.max(120, categories.length * (stacked ? 34 : 30) + (series.length > 1 ? 48 : 16));
  return <div ref={ref} role="img" aria-label={label} className={className} style={{ height }} />;
}
