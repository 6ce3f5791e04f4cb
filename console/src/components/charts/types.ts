export interface TradeoffPoint {
  key: string;
  label: string;
  x: number;
  y: number;
  selected: boolean;
  color: string;
}
